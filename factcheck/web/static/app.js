// The web app's only script (served from this server; the CSP forbids inline scripts).
// It records the page's health for the browser tests, scrolls a highlighted quote into
// view, and follows a running ingest job.
(function () {
  var d = document.documentElement, n = 0, c = 0;
  d.setAttribute('data-js-errors', '0');
  d.setAttribute('data-csp-violations', '0');
  window.addEventListener('error', function (e) {
    n++; d.setAttribute('data-js-errors', String(n));
    d.setAttribute('data-js-error-last', String(e.message || e.type));
  }, true);
  document.addEventListener('securitypolicyviolation', function (e) {
    c++; d.setAttribute('data-csp-violations', String(c));
    d.setAttribute('data-csp-last', String(e.violatedDirective) + ' ' + String(e.blockedURI));
  });
  document.addEventListener('DOMContentLoaded', function () {
    var mark = document.getElementById('quote');
    var box = mark && mark.closest('.article-text');
    if (box) {  // scroll the article box (not the page) so the quote sits in its middle
      box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 2);
      d.setAttribute('data-quote-scrolled', String(box.scrollTop));
    }
    var job = document.getElementById('job');
    if (job && (job.dataset.status === 'running' || job.dataset.status === 'queued')) {
      var poll = function () {
        fetch('/api/ingest/' + encodeURIComponent(job.dataset.job), {credentials: 'same-origin'})
          .then(function (r) { return r.json(); })
          .then(function (data) {
            var j = data.job || {};
            document.getElementById('job-status').textContent = j.status;
            document.getElementById('job-done').textContent = String(j.done);
            document.getElementById('job-progress').value = j.total ? 100 * j.done / j.total : 100;
            document.getElementById('job-message').textContent = j.message || j.current || '';
            job.dataset.status = j.status;
            if (j.status === 'running' || j.status === 'queued') { setTimeout(poll, 700); }
            else { location.reload(); }
          })
          .catch(function () { setTimeout(poll, 2000); });
      };
      setTimeout(poll, 500);
    }
    d.setAttribute('data-ready', '1');
  });
})();
