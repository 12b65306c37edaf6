/* Learning progress kept on this phone (localStorage): which lessons were read, quiz best scores.
   Nothing here needs the network. */
(function () {
  "use strict";
  var KEY = "riskedu.progress.v1";

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      return { lessons: stored.lessons || {}, quizzes: stored.quizzes || {} };
    } catch (error) {
      return { lessons: {}, quizzes: {} };
    }
  }

  function save(progress) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(progress));
    } catch (error) {
      /* Storage full or disabled: the lesson still works, it just is not remembered. */
    }
  }

  function recordProgress(lessonId, event, at) {
    // Also queued for the teacher's dashboard; the outbox sends it when there is a connection.
    if (window.riskeduApp) {
      window.riskeduApp.record("lesson_progress", {
        lesson_id: lessonId, locale: document.documentElement.lang, event: event, at: at,
      }, (document.querySelector("h1") || document).textContent);
    }
  }

  function markOpened(lessonId) {
    var progress = load();
    var entry = progress.lessons[lessonId] || {};
    if (!entry.openedAt) {
      entry.openedAt = new Date().toISOString();
      progress.lessons[lessonId] = entry;
      save(progress);
      recordProgress(lessonId, "opened", entry.openedAt);
    }
  }

  function markRead(lessonId) {
    var progress = load();
    var entry = progress.lessons[lessonId] || {};
    if (!entry.readAt) {
      entry.readAt = new Date().toISOString();
      progress.lessons[lessonId] = entry;
      save(progress);
      recordProgress(lessonId, "completed", entry.readAt);
    }
  }

  function recordQuiz(quizId, lessonId, percent, passed) {
    var progress = load();
    var entry = progress.quizzes[quizId] || { attempts: 0, best: 0 };
    entry.attempts += 1;
    entry.last = percent;
    entry.best = Math.max(entry.best, percent);
    entry.passed = Boolean(entry.passed || passed);
    entry.lesson = lessonId;
    progress.quizzes[quizId] = entry;
    if (passed) {
      var lesson = progress.lessons[lessonId] || {};
      lesson.completedAt = lesson.completedAt || new Date().toISOString();
      progress.lessons[lessonId] = lesson;
    }
    save(progress);
    return entry;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  function showIndex() {
    var wordsElement = document.getElementById("progress-words");
    if (!wordsElement) return;
    var words = JSON.parse(wordsElement.textContent);
    var progress = load();
    var cards = document.querySelectorAll("[data-lesson][data-quiz]");
    var seen = {};
    var done = 0;
    cards.forEach(function (card) {
      var lesson = progress.lessons[card.dataset.lesson] || {};
      var quiz = progress.quizzes[card.dataset.quiz];
      var parts = [];
      if (lesson.completedAt) parts.push(words.done);
      else if (lesson.readAt) parts.push(words.read);
      if (quiz) parts.push(fill(words.best, { percent: quiz.best }));
      var status = card.querySelector("[data-lesson-status]");
      status.textContent = parts.join(" · ");
      card.classList.toggle("lesson-card--done", Boolean(lesson.completedAt));
      if (!seen[card.dataset.lesson]) {
        seen[card.dataset.lesson] = true;
        if (lesson.completedAt) done += 1;
      }
    });
    var summary = document.querySelector("[data-progress-summary]");
    if (summary) {
      summary.textContent = fill(words.summary, { done: done, total: Object.keys(seen).length });
      summary.hidden = false;
    }
  }

  function watchLessonEnd() {
    var article = document.querySelector("article[data-lesson]");
    var end = document.querySelector("[data-lesson-end]");
    if (!article || !end) return;
    var lessonId = article.dataset.lesson;
    markOpened(lessonId);
    if (!("IntersectionObserver" in window)) {
      markRead(lessonId);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        markRead(lessonId);
        observer.disconnect();
      }
    });
    observer.observe(end);
  }

  window.riskeduProgress = { load: load, markRead: markRead, recordQuiz: recordQuiz, fill: fill };
  showIndex();
  watchLessonEnd();
})();
