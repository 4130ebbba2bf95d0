/// Cuaderno's one stylesheet, inlined into every page.
///
/// Colours are custom properties: light by default, dark under `prefers-color-scheme: dark`, and
/// light again for print. Fonts are the reader's own (system UI, a monospace, and a math font with
/// an OpenType MATH table — macOS, Windows and Debian's fonts-dejavu-extra each have one): nothing
/// is downloaded. Highlight colours keep a contrast of at least 4.5:1 against
/// the code background in both themes. Figures use `currentColor`, so they follow the theme.
enum Stylesheet {
    static let css = """
        :root {
          --bg: #ffffff; --fg: #1f2328; --muted: #57606a; --link: #0a58ca; --rule: #d0d7de;
          --code-bg: #f6f8fa; --ok: #1a7f37; --bad: #b42318; --bad-bg: #fff4f2; --accent: #0969da;
          --hl-keyword: #9b2393; --hl-type: #0b5394; --hl-string: #b3261e; --hl-number: #1c00cf;
          --hl-comment: #5b6875; --hl-attribute: #7a5600; --hl-label: #4b5a69; --hl-directive: #7a5600;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            --bg: #16181d; --fg: #e3e5e8; --muted: #a2abb6; --link: #8ab4f8; --rule: #3b424c;
            --code-bg: #1f232a; --ok: #6fd68a; --bad: #ff9a8f; --bad-bg: #2b1a19; --accent: #58a6ff;
            --hl-keyword: #ff7ab2; --hl-type: #6bd9ff; --hl-string: #ff8170; --hl-number: #d9c97c;
            --hl-comment: #8d99a6; --hl-attribute: #ffa14f; --hl-label: #b4bfcb; --hl-directive: #ffa14f;
          }
        }
        * { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body {
          margin: 0 auto; padding: 1.25rem 1.5rem 3rem; max-width: 48rem;
          background: var(--bg); color: var(--fg);
          font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
          overflow-wrap: break-word;
        }
        a { color: var(--link); }
        h1, h2, h3, h4 { line-height: 1.25; margin: 2rem 0 .75rem; }
        h1 { font-size: 2rem; margin-top: .5rem; }
        h2 { font-size: 1.45rem; padding-bottom: .25rem; border-bottom: 1px solid var(--rule); }
        h3 { font-size: 1.2rem; }
        p, ul, ol { margin: .75rem 0; }
        img { max-width: 100%; height: auto; }
        blockquote { margin: 1rem 0; padding: 0 1rem; border-left: 3px solid var(--rule); color: var(--muted); }
        header.site { font-size: .9rem; margin-bottom: 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; }
        form.search { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
        form.search input { font: inherit; padding: .2rem .4rem; border: 1px solid var(--rule); border-radius: 4px; background: var(--bg); color: var(--fg); min-width: 10rem; }
        form.search button { font: inherit; padding: .2rem .6rem; border: 1px solid var(--rule); border-radius: 4px; background: var(--code-bg); color: var(--fg); }
        ol.search-results > li { margin: .75rem 0; }
        ol.search-results p { margin: .2rem 0; color: var(--muted); font-size: .9rem; }
        .summary { font-size: 1.15rem; color: var(--muted); margin-top: 0; }
        code, pre { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        code { font-size: .9em; background: var(--code-bg); padding: .1em .3em; border-radius: 4px; }
        pre {
          font-size: .875rem; line-height: 1.5; margin: .5rem 0; padding: .75rem 1rem;
          background: var(--code-bg); border-radius: 6px; overflow-x: auto; tab-size: 4;
        }
        pre code { font-size: inherit; background: none; padding: 0; }
        math {
          font-family: "STIX Two Math", "Cambria Math", "Latin Modern Math", "TeX Gyre Termes Math",
            "DejaVu Math TeX Gyre", "Noto Sans Math", math;
          font-size: 1.1em;
        }
        mtable[columnalign="left left"] mtd { text-align: left; padding-right: 1em; }
        mtable[columnalign="right left"] mtd:nth-child(odd) { text-align: right; padding-right: 0; }
        mtable[columnalign="right left"] mtd:nth-child(even) { text-align: left; padding-left: 0; }
        math[display="block"] { margin: 1rem 0; overflow-x: auto; overflow-y: hidden; padding: .25rem 0; }
        .nowrap { white-space: nowrap; }
        merror { color: var(--bad); border: 1px dashed var(--bad); background: var(--bad-bg); padding: 0 .2em; }
        nav.toc { margin: 1.5rem 0; padding: .75rem 1.25rem; border: 1px solid var(--rule); border-radius: 6px; }
        nav.toc h2 { font-size: 1rem; margin: 0 0 .25rem; border: 0; padding: 0; }
        nav.toc ol { margin: .25rem 0; padding-left: 1.4rem; }
        nav.toc li { margin: .15rem 0; }
        .cell { margin: 1.25rem 0; }
        .cell > pre.code { border-left: 3px solid var(--accent); }
        .cell-output { margin-top: .25rem; }
        .cell-output > .output, .cell-output > figure.output { margin: .25rem 0; }
        pre.output { background: transparent; border-left: 3px solid var(--rule); border-radius: 0; }
        figure.output { margin: .5rem 0; color: var(--fg); overflow-x: auto; }
        figure.output svg { max-width: 100%; height: auto; }
        .tensor-table { overflow-x: auto; margin: .25rem 0; border-left: 3px solid var(--rule); padding-left: .6rem; }
        .tensor-table table { border-collapse: collapse; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; }
        .tensor-table caption { caption-side: top; text-align: left; color: var(--muted); font-size: .8rem; padding-bottom: .2rem; }
        .tensor-table td { padding: .1rem .6rem; text-align: right; border: 1px solid var(--rule); font-variant-numeric: tabular-nums; }
        .tensor-table td.gap { color: var(--muted); text-align: center; }
        .table-scroll { overflow-x: auto; }
        table.report { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; width: 100%; }
        table.report th, table.report td { padding: .3rem .5rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
        table.report thead th { border-bottom-width: 2px; }
        table.report tbody th { white-space: nowrap; }
        table.report td.cause { min-width: 16rem; }
        table.report td.number { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        ol.clusters > li { margin: .4rem 0; }
        ol.clusters details > summary { cursor: pointer; color: var(--muted); font-size: .9rem; }
        ol.clusters pre { white-space: pre-wrap; overflow-wrap: anywhere; }
        details.setup { margin: .5rem 0; }
        details.setup > summary { cursor: pointer; color: var(--muted); font-size: .9rem; }
        .label { font-size: .8rem; color: var(--muted); margin: .25rem 0 0; letter-spacing: .02em; }
        .error pre, .expected pre { white-space: pre-wrap; overflow-wrap: anywhere; }
        .error pre { border-left: 3px solid var(--bad); color: var(--bad); background: var(--bad-bg); border-radius: 0 6px 6px 0; }
        .expected pre { border-left: 3px solid var(--muted); color: var(--muted); background: transparent; border-radius: 0; }
        .location { font-weight: 600; }
        figure.output figcaption { font-size: .9rem; color: var(--muted); margin-top: .25rem; }
        p.omitted { margin: 0; padding: .1rem 1rem; color: var(--muted); font-style: italic; font-size: .85rem; }
        .not-run { color: var(--muted); font-style: italic; }
        .ok, .checks.passed, .check.passed { color: var(--ok); }
        .bad, .checks.failed, .check.failed { color: var(--bad); }
        .cell-exercise > pre.code { border-left-color: var(--ok); }
        .checks { list-style: none; padding-left: 0; }
        .check .points, .hint { color: var(--muted); font-size: .9rem; }
        details.hint { margin: .25rem 0; }
        details.hint details.hint { margin-left: 1rem; }
        details.hint > summary { cursor: pointer; }
        details.hint > p { margin: .25rem 0; }
        .hl-keyword { color: var(--hl-keyword); font-weight: 600; }
        .hl-type { color: var(--hl-type); }
        .hl-string, .hl-regex { color: var(--hl-string); }
        .hl-number { color: var(--hl-number); }
        .hl-comment { color: var(--hl-comment); font-style: italic; }
        .hl-attribute { color: var(--hl-attribute); }
        .hl-directive { color: var(--hl-directive); }
        .hl-label { color: var(--hl-label); }
        nav.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--rule); }
        nav.pager a { display: block; max-width: 48%; text-decoration: none; }
        nav.pager a .label { display: block; }
        nav.pager a.next { margin-left: auto; text-align: right; }
        ol.lessons { padding-left: 1.5rem; }
        ol.lessons > li { margin: 1rem 0; }
        ol.lessons .title { font-size: 1.15rem; font-weight: 600; }
        ol.lessons .status { display: block; font-size: .9rem; }
        ol.lessons .status span + span::before { content: " · "; color: var(--muted); }
        ol.lessons p { margin: .2rem 0; color: var(--muted); }
        @media (max-width: 40rem) {
          body { padding: .75rem .9rem 2rem; font-size: 1rem; }
          h1 { font-size: 1.6rem; }
          h2 { font-size: 1.3rem; }
          pre { font-size: .8rem; padding: .6rem .7rem; }
          nav.pager { flex-direction: column; }
          nav.pager a { max-width: none; }
        }
        @media print {
          :root {
            --bg: #ffffff; --fg: #000000; --muted: #444444; --link: #000000; --rule: #999999;
            --code-bg: #f4f4f4; --ok: #1a7f37; --bad: #b42318; --bad-bg: #ffffff;
            --hl-keyword: #9b2393; --hl-type: #0b5394; --hl-string: #b3261e; --hl-number: #1c00cf;
            --hl-comment: #5b6875; --hl-attribute: #7a5600; --hl-label: #4b5a69; --hl-directive: #7a5600;
          }
          body { max-width: none; padding: 0; font-size: 11pt; }
          header.site, nav.pager, nav.toc { display: none; }
          pre { white-space: pre-wrap; overflow: visible; border: 1px solid var(--rule); }
          .cell, figure.output, math[display="block"] { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; }
        }
        """
}
