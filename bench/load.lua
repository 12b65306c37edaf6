-- wrk script: a mix like a school morning. Most requests read lesson pages; some post sync batches of fresh
-- items; a few resend the previous batch (a phone that never got its answer). The counts let load.py check
-- afterwards that nothing acknowledged was lost and nothing was stored twice.
local lessons = {}
local threads = {}
local batch_size = 10
local sync_share = tonumber(os.getenv("RISKEDU_LOAD_SYNC_SHARE") or "20")   -- percent of requests
local resend_share = 10                                                      -- percent of sync requests

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local function uuid4()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (string.gsub(template, "[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function init(args)
  math.randomseed(os.time() + id * 7919)
  for lesson in string.gmatch(os.getenv("RISKEDU_LOAD_LESSONS") or "", "[^,]+") do
    table.insert(lessons, lesson)
  end
  client_id = uuid4()
  stored, duplicate, other, sync_requests, last_body = 0, 0, 0, 0, nil
end

local function batch()
  local items = {}
  for i = 1, batch_size do
    items[i] = string.format(
      '{"kind":"lesson_progress","id":"%s","data":{"lesson_id":"%s","locale":"en","event":"opened","at":"2026-11-20T08:30:00+04:00"}}',
      uuid4(), lessons[math.random(#lessons)])
  end
  return string.format('{"client":{"id":"%s","app_version":"load","locale":"en"},"items":[%s]}',
    client_id, table.concat(items, ","))
end

function request()
  if math.random(100) <= sync_share then
    sync_requests = sync_requests + 1
    local body = (last_body and math.random(100) <= resend_share) and last_body or batch()
    last_body = body
    return wrk.format("POST", "/api/v1/sync", {["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", "/en/lessons/" .. lessons[math.random(#lessons)])
end

function response(status, headers, body)
  if body and string.sub(body, 1, 11) == '{"results":' then
    local _, s = string.gsub(body, '"status":"stored"', "")
    local _, d = string.gsub(body, '"status":"duplicate"', "")
    stored, duplicate = stored + s, duplicate + d
  elseif status ~= 200 then
    other = other + 1
  end
end

function done(summary, latency, requests)
  local s, d, o, n = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    s = s + thread:get("stored"); d = d + thread:get("duplicate")
    o = o + thread:get("other"); n = n + thread:get("sync_requests")
  end
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.2f,"rps":%.1f,"p50_ms":%.1f,"p99_ms":%.1f,"errors":%d,"non_2xx":%d,"sync_requests":%d,"stored":%d,"duplicate":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, n, s, d))
end
