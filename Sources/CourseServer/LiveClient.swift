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

/// The small script the served copy of a page carries (the pages Cuaderno writes carry none):
/// it listens on the server's WebSocket and reloads the page once the server has written its new
/// version, and shows the lesson's mistakes over the page, each at its line.
enum LiveClient {
    /// Where the script is served.
    static let scriptPath = "/__cuaderno/live.js"
    /// Where the WebSocket is.
    static let socketPath = "/__cuaderno/live"

    /// `html` with the problems (as JSON data) and the script added at the end of its `<head>`.
    static func inject(into html: String, problems: [PageProblem]) -> String {
        let data = (try? JSONEncoder().encode(problems)).flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
        // Inside <script>, only "</" could end the element early.
        let safe = data.replacingOccurrences(of: "</", with: "<\\/")
        let tags = "<script type=\"application/json\" id=\"cuaderno-problems\">\(safe)</script>\n"
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
      const problems = JSON.parse(document.getElementById("cuaderno-problems")?.textContent || "[]");

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
        const socket = new WebSocket("ws://" + location.host + "\#(socketPath)");
        socket.onmessage = (event) => {
          const message = JSON.parse(event.data);
          if (message.page !== page && message.page !== "*") return;
          if (message.kind === "running") banner("Running " + message.lesson + "…");
          if (message.kind === "reload") location.reload();
        };
        socket.onopen = () => banner("");
        socket.onclose = () => {
          banner("cuaderno serve has stopped; this page no longer follows its file.");
          setTimeout(connect, 2000);
        };
      }

      showProblems(problems);
      connect();
    })();
    """#
}
