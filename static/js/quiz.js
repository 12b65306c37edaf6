/* Quiz grading in the browser: instant feedback per question, the score at the end, retry.
   The answer key comes with the page, so this works with no connection. Same rules as
   riskedu/content/grading.py: a question is right only when exactly the correct choices are picked. */
(function () {
  "use strict";
  var form = document.querySelector("form.quiz");
  var keyElement = document.getElementById("quiz-key");
  if (!form || !keyElement) return;
  var key = JSON.parse(keyElement.textContent);
  var words = key.words;
  var progress = window.riskeduProgress;
  var resultPanel = document.querySelector("[data-quiz-result]");
  var startedAt = new Date().toISOString();
  var firstAnswers = {};

  function chosen(fieldset) {
    return Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (input) {
      return input.value;
    }).sort();
  }

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (value, index) { return value === b[index]; });
  }

  function paragraph(className, text) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function check(fieldset) {
    var question = key.questions[fieldset.dataset.question];
    var picked = chosen(fieldset);
    var feedback = fieldset.querySelector("[data-feedback]");
    if (!picked.length) {
      feedback.replaceChildren(paragraph("feedback__verdict", words.pickOne));
      feedback.hidden = false;
      return;
    }
    var right = sameSet(picked, question.answer.slice().sort());
    firstAnswers[fieldset.dataset.question] = picked;
    fieldset.dataset.answered = right ? "right" : "wrong";
    var parts = [paragraph("feedback__verdict", right ? words.right : words.wrong)];
    picked.forEach(function (choiceId) {
      parts.push(paragraph("feedback__explanation", question.explanations[choiceId]));
    });
    if (!right) {
      question.answer.forEach(function (choiceId) {
        if (picked.indexOf(choiceId) === -1) {
          parts.push(paragraph("feedback__explanation feedback__correct",
            words.correctWas + " " + question.explanations[choiceId]));
        }
      });
    }
    fieldset.querySelectorAll("label[data-choice]").forEach(function (label) {
      var id = label.dataset.choice;
      label.classList.toggle("choice--correct", question.answer.indexOf(id) !== -1);
      label.classList.toggle("choice--wrong", picked.indexOf(id) !== -1 && question.answer.indexOf(id) === -1);
    });
    // The first answer counts: lock the question until "Try again".
    fieldset.querySelectorAll("input").forEach(function (input) { input.disabled = true; });
    var button = fieldset.querySelector("[data-check]");
    if (button) button.hidden = true;
    feedback.className = "feedback feedback--" + (right ? "right" : "wrong");
    feedback.replaceChildren.apply(feedback, parts);
    feedback.hidden = false;
  }

  form.querySelectorAll("fieldset[data-question]").forEach(function (fieldset) {
    var button = fieldset.querySelector("[data-check]");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () { check(fieldset); });
    } else {
      fieldset.addEventListener("change", function () { check(fieldset); });
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fieldsets = form.querySelectorAll("fieldset[data-question]");
    fieldsets.forEach(function (fieldset) {
      if (!fieldset.dataset.answered && chosen(fieldset).length) check(fieldset);
    });
    var total = fieldsets.length;
    var score = form.querySelectorAll('fieldset[data-answered="right"]').length;
    var percent = Math.round((100 * score) / total);
    var passed = percent >= key.passPercent;
    var entry = progress ? progress.recordQuiz(key.quiz, key.lesson, percent, passed) : { best: percent };
    if (window.riskeduApp) {
      // The server grades again from these answers; the score shown here never depends on it.
      window.riskeduApp.record("quiz_attempt", {
        quiz_id: key.quiz,
        locale: document.documentElement.lang,
        started_at: startedAt,
        finished_at: new Date().toISOString(),
        answers: firstAnswers,
      }, document.querySelector("h1").textContent);
    }
    var fill = progress ? progress.fill : function (t) { return t; };
    resultPanel.querySelector("[data-score]").textContent = fill(words.score, { score: score, total: total, percent: percent });
    resultPanel.querySelector("[data-verdict]").textContent = passed ? words.passed : words.notPassed;
    resultPanel.querySelector("[data-best]").textContent = fill(words.best, { percent: entry.best });
    resultPanel.hidden = false;
    resultPanel.focus();
  });

  resultPanel.querySelector("[data-retry]").addEventListener("click", function () {
    form.reset();
    startedAt = new Date().toISOString();
    firstAnswers = {};
    form.querySelectorAll("fieldset[data-question]").forEach(function (fieldset) {
      delete fieldset.dataset.answered;
      fieldset.querySelectorAll("input").forEach(function (input) { input.disabled = false; });
      fieldset.querySelectorAll("label[data-choice]").forEach(function (label) {
        label.classList.remove("choice--correct", "choice--wrong");
      });
      var feedback = fieldset.querySelector("[data-feedback]");
      feedback.hidden = true;
      feedback.replaceChildren();
      var button = fieldset.querySelector("[data-check]");
      if (button) button.hidden = false;
    });
    resultPanel.hidden = true;
    form.querySelector("fieldset").scrollIntoView();
  });
})();
