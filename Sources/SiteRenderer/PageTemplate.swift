/// The frame every page shares: doctype, language, head with the stylesheet, and a body.
///
/// The stylesheet is inlined, and pages load nothing else: no fonts, scripts or images from
/// anywhere, so they work offline from the file system.
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
