/* Techniekwagen crew: read QR codes and Code 128 barcodes with the tablet's rear camera.
 *
 * Uses the browser's BarcodeDetector where it exists, otherwise ZXing-C++ compiled to WebAssembly
 * (static/vendor/zxing-wasm, vendored from npm — never a CDN). Reads continuously; the same code read
 * again within REPEAT_MS counts once. Each read beeps and vibrates. The camera stops when the page is
 * hidden. Usage: TW.scanner.attach(button, videoElement, statusElement, function (code) { ... }).
 */
(function () {
  "use strict";
  var REPEAT_MS = 3000;
  var INTERVAL_MS = 120;
  var STR = (function () {
    var el = document.getElementById("crew-strings");
    try { return el ? JSON.parse(el.textContent) || {} : {}; } catch (e) { return {}; }
  })();
  function tr(key, fallback, vars) {
    var s = typeof STR[key] === "string" && STR[key] ? STR[key] : fallback;
    return !vars ? s : s.replace(/%\((\w+)\)s/g, function (m, k) { return vars[k] != null ? String(vars[k]) : m; });
  }

  function vendorBase() {
    var el = document.querySelector("script[src*='zxing-reader']");
    var src = el ? el.src : "/static/vendor/zxing-wasm/zxing-reader.iife.js";
    return src.slice(0, src.lastIndexOf("/") + 1);
  }

  var wasmReady = null;
  function wasmDecoder() {
    if (!window.ZXingWASM) return null;
    if (!wasmReady) {
      var base = vendorBase();
      // locateFile keeps the .wasm on our own origin (the package's default is a CDN).
      ZXingWASM.prepareZXingModule({
        overrides: { locateFile: function (path) { return base + path; } },
        fireImmediately: true,
      });
      wasmReady = Promise.resolve();
    }
    return function (canvas, ctx) {
      var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      return ZXingWASM.readBarcodes(image, { formats: ["QRCode", "Code128"], tryHarder: true, maxNumberOfSymbols: 4 })
        .then(function (results) {
          return results.filter(function (r) { return r.isValid !== false && r.text; }).map(function (r) { return r.text; });
        });
    };
  }

  function nativeDecoder() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    return BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") < 0) return null;
      var wanted = ["qr_code", "code_128"].filter(function (f) { return formats.indexOf(f) >= 0; });
      var detector = new BarcodeDetector({ formats: wanted });
      return function (canvas) {
        return detector.detect(canvas).then(function (codes) { return codes.map(function (c) { return c.rawValue; }); });
      };
    }).catch(function () { return null; });
  }

  var audio = null;
  function feedback() {
    try { if (navigator.vibrate) navigator.vibrate(80); } catch (e) { /* not allowed */ }
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 1200;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.08);
    } catch (e) { /* no audio: vibration and the on-screen tick remain */ }
  }

  function attach(button, video, status, onCode) {
    var stream = null, timer = null, decode = null, busy = false;
    var last = {};
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    var labelStart = button.textContent;

    function say(text) { if (status) status.textContent = text; }

    function stop() {
      if (timer) clearInterval(timer);
      timer = null;
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      video.srcObject = null;
      if (video.parentNode) video.parentNode.hidden = true;
      button.textContent = labelStart;
      button.setAttribute("aria-pressed", "false");
      document.documentElement.removeAttribute("data-camera");
    }

    function tick() {
      if (busy || !stream || video.readyState < 2 || !video.videoWidth) return;
      busy = true;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      Promise.resolve(decode(canvas, ctx)).then(function (codes) {
        busy = false;
        var now = Date.now();
        (codes || []).forEach(function (code) {
          code = String(code).trim();
          if (!code) return;
          if (last[code] && now - last[code] < REPEAT_MS) { last[code] = now; return; }
          last[code] = now;
          feedback();
          say(tr("scanRead", "Gelezen: %(code)s", { code: code }));
          onCode(code);
        });
      }).catch(function () { busy = false; });
    }

    function start() {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        say(tr("scanNoCamera", "Geen camera beschikbaar (of geen toestemming)."));
        return;
      }
      nativeDecoder().then(function (native) {
        decode = native || wasmDecoder();
        if (!decode) { say(tr("scanNoDecoder", "Scannen met de camera werkt niet in deze browser.")); return null; }
        document.documentElement.setAttribute("data-decoder", native ? "native" : "wasm");
        return navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false });
      }).then(function (s) {
        if (!s) return;
        stream = s;
        video.srcObject = s;
        if (video.parentNode) video.parentNode.hidden = false;
        video.play().catch(function () {});
        button.textContent = tr("scanStop", "Camera uit");
        button.setAttribute("aria-pressed", "true");
        document.documentElement.setAttribute("data-camera", "on");
        timer = setInterval(tick, INTERVAL_MS);
      }).catch(function () {
        say(tr("scanNoCamera", "Geen camera beschikbaar (of geen toestemming)."));
        stop();
      });
    }

    button.addEventListener("click", function () { if (stream) stop(); else start(); });
    // A hidden page (tablet locked, other app) must not keep the camera on.
    document.addEventListener("visibilitychange", function () { if (document.hidden) stop(); });
    window.addEventListener("pagehide", stop);
    return { start: start, stop: stop, running: function () { return !!stream; } };
  }

  // Fetch the decoder while the network is there (the service worker keeps it for offline use):
  // a scan often starts in a depot corner without signal.
  if (!("BarcodeDetector" in window)) wasmDecoder();

  window.TW = window.TW || {};
  window.TW.scanner = { attach: attach, REPEAT_MS: REPEAT_MS };
})();
