/* Quiz grading in the browser: instant feedback per question, the score at the end, retry.
   The answer key comes with the page, so this works with no connection. Same rules as
   riskedu/content/grading.py: a question is right only when exactly the correct choices are picked, the percentage
   is rounded half up in integers, and a wrong answer to a critical question fails the quiz whatever the score. */
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

  // The same integer rounding as grading.percent_half_up: Math.round on 62.5 and Python's round() disagree.
  function percentHalfUp(score, total) {
    return total ? Math.floor((200 * score + total) / (2 * total)) : 0;
  }

  // A new order of the choices for every attempt, so the place of an answer teaches nothing; grading is by id.
  function shuffleChoices(fieldset) {
    var box = fieldset.querySelector(".choices");
    if (!box) return;
    var labels = Array.prototype.slice.call(box.querySelectorAll("label[data-choice]"));
    for (var i = labels.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var swap = labels[i]; labels[i] = labels[j]; labels[j] = swap;
    }
    labels.forEach(function (label) { box.appendChild(label); });
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
    var dangerous = !right && question.critical;
    if (dangerous) fieldset.dataset.dangerous = "true";
    var parts = [paragraph("feedback__verdict", right ? words.right : (dangerous ? words.dangerous : words.wrong))];
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
    feedback.className = "feedback feedback--" + (right ? "right" : "wrong") + (dangerous ? " feedback--dangerous" : "");
    feedback.replaceChildren.apply(feedback, parts);
    feedback.hidden = false;
  }

  form.querySelectorAll("fieldset[data-question]").forEach(function (fieldset) {
    shuffleChoices(fieldset);
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
    var percent = percentHalfUp(score, total);
    var criticalMissed = Object.keys(key.questions).some(function (id) {
      var fieldset = form.querySelector('fieldset[data-question="' + id + '"]');
      return key.questions[id].critical && (!fieldset || fieldset.dataset.answered !== "right");
    });
    var passed = percent >= key.passPercent && !criticalMissed;
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
    resultPanel.querySelector("[data-verdict]").textContent = passed ? words.passed
      : (criticalMissed ? words.criticalMissed : words.notPassed);
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
      delete fieldset.dataset.dangerous;
      shuffleChoices(fieldset);
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
