/* Digits from every keyboard: Arabic-Indic (٠-٩), Persian (۰-۹) and full-width (０-９) digits mean the same as
   0-9, so numbers typed with them are read as ASCII before they are checked or sent. The server does the same
   (riskedu/i18n/digits.py); a count typed as "٣" was silently dropped before. */
(function () {
  "use strict";
  var ZEROS = [0x0660, 0x06f0, 0xff10, 0x0966, 0x09e6];
  var SIGNS = { "\uff0b": "+", "\u066b": ".", "\u066c": ",", "\u060c": ",", "\uff0d": "-", "\uff08": "(", "\uff09": ")" };

  function ascii(text) {
    return String(text).replace(/[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19\u0966-\u096f\u09e6-\u09ef\uff0b\u066b\u066c\u060c\uff0d\uff08\uff09]/g, function (ch) {
      if (SIGNS[ch]) return SIGNS[ch];
      var code = ch.charCodeAt(0);
      for (var i = 0; i < ZEROS.length; i++) {
        if (code >= ZEROS[i] && code <= ZEROS[i] + 9) return String(code - ZEROS[i]);
      }
      return ch;
    });
  }

  window.riskeduDigits = { ascii: ascii };
})();
