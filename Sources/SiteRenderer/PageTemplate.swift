/// The frame every page shares: doctype, head with the stylesheet, and a body.
enum PageTemplate {
    static func page(title: String, language: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(HTML.escape(language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(HTML.escape(title))</title>
        <style>
        \(Stylesheet.css)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }
}

/// The stylesheet embedded in every page (pages work offline, with no requests).
enum Stylesheet {
    static let css = """
        :root { --muted: #595959; --ok: #1a7f37; --bad: #b42318; --box: rgba(127,127,127,.1); --rule: rgba(127,127,127,.5); }
        @media (prefers-color-scheme: dark) {
          :root { --muted: #b0b0b0; --ok: #5fd17f; --bad: #ff8a80; --box: rgba(160,160,160,.14); }
        }
        body { font-family: system-ui, sans-serif; line-height: 1.55; max-width: 50rem; margin: 0 auto; padding: 1rem; }
        pre { overflow-x: auto; padding: .6rem .8rem; background: var(--box); border-radius: 4px;
              font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .92rem; }
        pre code { font-size: inherit; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .92em; }
        .cell { margin: 1.2rem 0; }
        .output pre { background: transparent; border-left: 3px solid var(--rule); }
        .error pre, .expected pre { white-space: pre-wrap; overflow-wrap: anywhere; background: transparent; }
        .error pre { border-left: 3px solid var(--bad); color: var(--bad); }
        .expected pre { border-left: 3px solid var(--muted); color: var(--muted); }
        .label { font-size: .8rem; color: var(--muted); margin: 0; }
        .not-run { color: var(--muted); font-style: italic; }
        .ok { color: var(--ok); white-space: nowrap; }
        .bad { color: var(--bad); white-space: nowrap; }
        nav { font-size: .9rem; }
        """
}
