// Evidence (minh chứng) of a self-report: upload one file or link at a time with a
// progress bar and refresh the indicator's list in place; delete after a
// confirmation. Without this script the same forms and links work as plain pages.
(function () {
  "use strict";

  function statusOf(box) { return box.querySelector(".evidence-status"); }

  function say(box, text, isError) {
    var status = statusOf(box);
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("evidence-error", !!isError);
  }

  function sizeText(bytes) {
    return (bytes / 1024 / 1024).toFixed(0) + " MB";
  }

  function replaceBox(box, html, message) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    box.replaceWith(fresh);
    if (message) {
      var status = statusOf(fresh);
      if (status) {
        status.textContent = message;
        status.classList.add("evidence-ok");
        status.setAttribute("tabindex", "-1");
        status.focus();
      }
    }
  }

  function send(box, url, data, onProgress) {
    var progress = box.querySelector(".evidence-progress");
    function done() {
      box.classList.remove("evidence-busy");
      if (progress) { progress.hidden = true; }
    }
    var request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("Accept", "application/json");
    if (onProgress && request.upload) {
      request.upload.addEventListener("progress", onProgress);
    }
    request.onload = function () {
      var answer = null;
      try { answer = JSON.parse(request.responseText); } catch (e) { answer = null; }
      if (request.status === 200 && answer && answer.html) {
        replaceBox(box, answer.html, answer.thong_bao);
      } else if (answer && answer.loi) {
        say(box, answer.loi, true);
      } else if (request.status === 413) {
        say(box, "Tệp lớn quá, máy chủ không nhận. Hãy chọn tệp nhỏ hơn.", true);
      } else {
        say(box, "Chưa thêm được minh chứng (lỗi " + request.status +
          "). Hãy tải lại trang rồi thử lại.", true);
      }
      done();
    };
    request.onerror = function () {
      say(box, "Không gửi được: mất kết nối, hoặc tệp lớn quá nên máy chủ ngắt. " +
        "Hãy kiểm tra mạng rồi thử lại.", true);
      done();
    };
    box.classList.add("evidence-busy");
    request.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-evidence-upload]")) { return; }
    if (!window.FormData || !window.XMLHttpRequest) { return; }
    event.preventDefault();
    var box = form.closest(".evidence");
    var input = form.querySelector("input[type=file]");
    var link = form.querySelector("input[name=link]");
    var file = input && input.files && input.files[0];
    var max = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (!file && !(link && link.value.trim())) {
      say(box, "Hãy chọn một tệp hoặc dán một đường dẫn minh chứng.", true);
      return;
    }
    if (file && file.size === 0) {
      say(box, "Tệp rỗng (0 byte): hãy chọn lại tệp.", true);
      return;
    }
    if (file && max && file.size > max) {
      say(box, "Tệp lớn quá: mỗi tệp tối đa " + sizeText(max) + ", tệp này " +
        sizeText(file.size) + ". Hãy chụp ảnh nhỏ hơn hoặc chia tệp PDF.", true);
      return;
    }
    var progress = form.querySelector(".evidence-progress");
    if (progress && file) { progress.hidden = false; progress.value = 0; }
    say(box, file ? "Đang tải lên “" + file.name + "”…" : "Đang lưu đường dẫn…", false);
    send(box, form.action, new FormData(form), function (e) {
      if (progress && e.lengthComputable) {
        progress.value = Math.round(e.loaded * 100 / e.total);
      }
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-evidence-delete]");
    if (!button) { return; }
    var box = button.closest(".evidence");
    var token = box && box.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token || !window.FormData) { return; }  // the confirmation page instead
    event.preventDefault();
    if (!window.confirm("Xóa minh chứng “" + button.getAttribute("data-name") +
        "”? Không khôi phục được.")) { return; }
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token.value);
    var next = box.querySelector("input[name=next]");
    if (next) { data.append("next", next.value); }
    say(box, "Đang xóa…", false);
    send(box, button.getAttribute("data-evidence-delete"), data, null);
  });
})();
