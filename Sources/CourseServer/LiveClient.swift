import Foundation

/// A mistake in a served lesson, shown over its page: where it is and what it says.
public struct PageProblem: Sendable, Equatable, Codable {
    /// The lesson file's line (1-based).
    public var line: Int
    /// The message, as the terminal shows it.
    public var message: String
    /// The id of the page element to scroll to (`cell-3`), when the problem is in a cell.
    public var anchor: String?

    public init(line: Int, message: String, anchor: String? = nil) {
        self.line = line
        self.message = message
        self.anchor = anchor
    }
}

/// What the live client of a page is given with it: the lesson's problems and, in a workbook, its
/// exercises to edit.
public struct PageData: Sendable, Equatable, Codable {
    /// An exercise the learner can edit and run in the page.
    public struct Exercise: Sendable, Equatable, Codable {
        /// Its `id=`.
        public var id: String
        /// The id of its cell's element in the page.
        public var anchor: String
        /// Its code in the file the page was made from.
        public var code: String
    }

    public var problems: [PageProblem] = []
    /// Empty outside a workbook.
    public var exercises: [Exercise] = []
    /// Which rendering of its lesson since the server started the page shows (1 is the first; 0
    /// for a page that is not a lesson's): a page whose socket opens after a later rendering's
    /// reload was sent learns it is behind.
    public var generation = 0

    public init(problems: [PageProblem] = [], exercises: [Exercise] = [], generation: Int = 0) {
        self.problems = problems
        self.exercises = exercises
        self.generation = generation
    }
}

/// The small script the served copy of a page carries (the pages Cuaderno writes carry none):
/// it listens on the server's WebSocket and reloads the page once the server has written its new
/// version, and shows the lesson's mistakes over the page, each at its line.
enum LiveClient {
    /// Where the script is served.
    static let scriptPath = "/__cuaderno/live.js"
    /// Where the WebSocket is.
    static let socketPath = "/__cuaderno/live"

    /// Where the learner's Run button sends an exercise.
    static let runPath = "/__cuaderno/run"
    /// Where the learner's Reset button asks for an exercise as released.
    static let resetPath = "/__cuaderno/reset"

    /// `html` with the page's data (as JSON) and the script added at the end of its `<head>`.
    static func inject(into html: String, data: PageData) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = (try? encoder.encode(data)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        // Inside <script>, only "</" could end the element early.
        let safe = json.replacingOccurrences(of: "</", with: "<\\/")
        let tags = "<script type=\"application/json\" id=\"cuaderno-page\">\(safe)</script>\n"
            + "<script src=\"\(scriptPath)\" defer></script>\n"
        guard let head = html.range(of: "</head>") else { return tags + html }
        return html.replacingCharacters(in: head.lowerBound..<head.lowerBound, with: tags)
    }

    /// The script: a WebSocket that reloads the page when the server says it was rewritten, a
    /// banner while the lesson runs or when the server is gone, and the problems' overlay.
    static let script = #"""
    "use strict";
    (() => {
      const page = decodeURIComponent(location.pathname.split("/").pop() || "index.html");
      const data = JSON.parse(document.getElementById("cuaderno-page")?.textContent || "{}");
      const problems = data.problems || [];
      // A page with a failing cell scrolls to it itself, with the browser's restoration turned
      // off; the history entry keeps that setting through reloads, so a page without one turns
      // it back on and the next reload (after the cell is mended) stays where the author was.
      history.scrollRestoration = "auto";

      function banner(text) {
        let element = document.getElementById("cuaderno-banner");
        if (!element) {
          element = document.createElement("div");
          element.id = "cuaderno-banner";
          element.setAttribute("role", "status");
          element.style.cssText = "position:fixed;bottom:1em;right:1em;padding:.5em 1em;background:#333;color:#fff;" +
            "font:14px system-ui,sans-serif;border-radius:4px;z-index:1000";
          document.body.appendChild(element);
        }
        element.textContent = text;
        element.hidden = !text;
      }

      function showProblems(list) {
        if (list.length === 0) return;
        const overlay = document.createElement("div");
        overlay.id = "cuaderno-problems-overlay";
        overlay.setAttribute("role", "alert");
        overlay.style.cssText = "position:fixed;top:1em;right:1em;max-width:36em;max-height:80vh;overflow:auto;" +
          "background:#fff5f5;border:2px solid #b00020;color:#222;padding:1em;font:14px system-ui,sans-serif;" +
          "box-shadow:0 2px 8px rgba(0,0,0,.3);z-index:1001";
        const title = document.createElement("strong");
        title.textContent = list.length === 1 ? "1 problem in this lesson" : list.length + " problems in this lesson";
        overlay.appendChild(title);
        const close = document.createElement("button");
        close.textContent = "×";
        close.setAttribute("aria-label", "Hide the problems");
        close.style.cssText = "float:right";
        close.onclick = () => overlay.remove();
        overlay.prepend(close);
        for (const problem of list) {
          const item = document.createElement("pre");
          item.className = "cuaderno-problem";
          item.dataset.line = String(problem.line);
          item.style.cssText = "white-space:pre-wrap;margin:.75em 0 0;cursor:" + (problem.anchor ? "pointer" : "auto");
          item.textContent = "line " + problem.line + ": " + problem.message;
          if (problem.anchor) {
            item.onclick = () => document.getElementById(problem.anchor)?.scrollIntoView({ block: "center" });
          }
          overlay.appendChild(item);
        }
        document.body.appendChild(overlay);
        const first = list.find((problem) => problem.anchor);
        const cell = first && document.getElementById(first.anchor);
        if (cell) {
          cell.style.outline = "3px solid #b00020";
          // After the browser has restored the reloaded page's scroll position, go to the cell.
          history.scrollRestoration = "manual";
          const show = () => cell.scrollIntoView({ block: "center" });
          if (document.readyState === "complete") show(); else addEventListener("load", show);
        }
      }

      function connect() {
        // The page and the rendering it shows: a page already behind when its socket opens is
        // told to reload at once.
        const socket = new WebSocket("ws://" + location.host + "\#(socketPath)?page=" + encodeURIComponent(page)
          + "&generation=" + (data.generation || 0));
        socket.onmessage = (event) => {
          const message = JSON.parse(event.data);
          if (message.page !== page && message.page !== "*") return;
          if (message.kind === "running") banner("Running " + message.lesson + "…");
          // While this page's Run is waiting for its answer, the answer reloads the page: a reload
          // now would drop the answer, and the editor's text would then look unsent.
          if (message.kind === "reload" && runsWaiting === 0) location.reload();
        };
        socket.onopen = () => banner("");
        socket.onclose = () => {
          banner("cuaderno serve has stopped; this page no longer follows its file.");
          setTimeout(connect, 2000);
        };
      }

      // The learner's editors: one per exercise, its text kept in sessionStorage until it is run,
      // so that a reload (after a run, or after the file was saved elsewhere) loses nothing.
      let runsWaiting = 0;
      function storageKey(id) { return "cuaderno:" + page + ":" + id; }

      function addEditor(exercise) {
        const cell = document.getElementById(exercise.anchor);
        if (!cell) return;
        const stored = JSON.parse(sessionStorage.getItem(storageKey(exercise.id)) || "null");
        const box = document.createElement("div");
        box.className = "cuaderno-editor";
        box.style.cssText = "margin:.5em 0";
        const label = document.createElement("label");
        label.textContent = "Your code for " + exercise.id;
        label.style.cssText = "display:block;font-weight:600;margin-bottom:.25em";
        const editor = document.createElement("textarea");
        editor.id = "cuaderno-editor-" + exercise.id;
        label.htmlFor = editor.id;
        editor.spellcheck = false;
        editor.value = stored ? stored.code : exercise.code;
        editor.rows = Math.min(30, editor.value.split("\n").length + 1);
        editor.style.cssText = "width:100%;box-sizing:border-box;font-family:ui-monospace,monospace;font-size:14px;tab-size:4";
        let base = stored ? stored.base : exercise.code;
        editor.addEventListener("input", () => {
          sessionStorage.setItem(storageKey(exercise.id), JSON.stringify({ code: editor.value, base }));
        });
        editor.addEventListener("keydown", (event) => {
          if (event.key === "Tab" && !event.shiftKey) {
            event.preventDefault();
            editor.setRangeText("    ", editor.selectionStart, editor.selectionEnd, "end");
            editor.dispatchEvent(new Event("input"));
          }
        });
        const run = document.createElement("button");
        run.type = "button";
        run.textContent = "Run";
        run.className = "cuaderno-run";
        const status = document.createElement("div");
        status.className = "cuaderno-status";
        status.setAttribute("role", "status");
        status.style.cssText = "margin-top:.25em;font:14px system-ui,sans-serif";
        if (stored && stored.code !== exercise.code) status.textContent = "Not run yet: your text, kept from before the page reloaded.";

        async function send(overwriting) {
          run.disabled = true;
          runsWaiting += 1;
          status.textContent = "Writing your code into the lesson and running it…";
          let response;
          try {
            response = await fetch("\#(runPath)", {
              method: "POST",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ page, exercise: exercise.id, code: editor.value, base: overwriting ?? base }),
            });
          } catch (error) {
            runsWaiting -= 1;
            status.textContent = "The server did not answer (is cuaderno serve still running?); your text is still here.";
            run.disabled = false;
            return;
          }
          const answer = await response.json().catch(() => ({ error: "the server's answer was not JSON" }));
          runsWaiting -= 1;
          run.disabled = false;
          if (response.ok) {
            sessionStorage.removeItem(storageKey(exercise.id));
            location.reload();
            return;
          }
          if (response.status === 409) {
            conflict(answer);
            return;
          }
          status.textContent = answer.error || ("The server said " + response.status);
        }

        // The file's exercise changed since this page was made: keep both, let the learner choose.
        function conflict(answer) {
          status.textContent = "";
          const message = document.createElement("p");
          message.className = "cuaderno-conflict";
          message.textContent = "This exercise changed in the lesson file since the page was made (edited in your editor?). " +
            "Nothing was written. Your text is still in the box; the file's version is below.";
          const theirs = document.createElement("details");
          theirs.open = true;
          const summary = document.createElement("summary");
          summary.textContent = "The file's version";
          const code = document.createElement("pre");
          code.className = "cuaderno-file-version";
          code.textContent = answer.current;
          theirs.append(summary, code);
          const useFile = document.createElement("button");
          useFile.type = "button";
          useFile.textContent = "Reload with the file's version";
          useFile.onclick = () => {
            sessionStorage.setItem(storageKey(exercise.id) + ":kept", editor.value);
            sessionStorage.removeItem(storageKey(exercise.id));
            location.reload();
          };
          const overwrite = document.createElement("button");
          overwrite.type = "button";
          overwrite.textContent = "Write mine over the file's";
          overwrite.onclick = () => { base = answer.current; send(answer.current); };
          status.append(message, theirs, useFile, document.createTextNode(" "), overwrite);
        }

        run.onclick = () => send(undefined);
        const reset = document.createElement("button");
        reset.type = "button";
        reset.textContent = "Reset";
        reset.className = "cuaderno-reset";
        reset.onclick = async () => {
          if (!confirm("Put " + exercise.id + " back as it was released? Your version of the whole file is kept beside it (" +
                       "NN-….md.~1~), and nothing else in the file changes.")) return;
          runsWaiting += 1;
          const response = await fetch("\#(resetPath)", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ page, exercise: exercise.id }),
          }).catch(() => null);
          runsWaiting -= 1;
          if (response && response.ok) {
            sessionStorage.setItem(storageKey(exercise.id) + ":kept", editor.value);
            sessionStorage.removeItem(storageKey(exercise.id));
            location.reload();
          } else {
            const answer = response ? await response.json().catch(() => ({})) : {};
            status.textContent = answer.error || "The server did not answer; nothing was reset.";
          }
        };
        box.append(label, editor, run, document.createTextNode(" "), reset, status);
        const kept = sessionStorage.getItem(storageKey(exercise.id) + ":kept");
        if (kept !== null) {
          const details = document.createElement("details");
          const summary = document.createElement("summary");
          summary.textContent = "Your text from before the reload";
          const code = document.createElement("pre");
          code.className = "cuaderno-kept";
          code.textContent = kept;
          details.append(summary, code);
          box.append(details);
        }
        // The editor takes the place of the cell's code; the output and the checks stay below.
        const pre = cell.querySelector("pre");
        if (pre) { pre.after(box); pre.hidden = true; } else cell.append(box);
      }

      for (const exercise of data.exercises || []) addEditor(exercise);
      showProblems(problems);
      connect();
    })();
    """#
}
