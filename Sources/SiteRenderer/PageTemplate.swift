/// The frame every page shares: doctype, head with the stylesheet, and a body.
enum PageTemplate {
    static func page(title: String, language: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(HTML.escape(language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
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
        :root { color-scheme: light dark; --muted: #666; --ok: #1a7f37; --bad: #c62828; --box: rgba(127,127,127,.1); }
        body { font-family: system-ui, sans-serif; line-height: 1.55; max-width: 50rem; margin: 0 auto; padding: 1rem; }
        pre { overflow-x: auto; padding: .6rem .8rem; background: var(--box); border-radius: 4px; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .92em; }
        .cell { margin: 1.2rem 0; }
        .output pre { background: transparent; border-left: 3px solid var(--box); }
        .error pre { border-left: 3px solid var(--bad); color: var(--bad); background: transparent; }
        .expected pre { border-left: 3px solid var(--muted); color: var(--muted); background: transparent; }
        .label { font-size: .8rem; color: var(--muted); margin: 0; }
        .not-run { color: var(--muted); font-style: italic; }
        .ok { color: var(--ok); }
        .bad { color: var(--bad); }
        nav { font-size: .9rem; }
        """
}
