import CCmark
import Foundation

/// A Markdown document parsed by libcmark; the tree is freed with the value.
final class MarkdownDocument {
    let root: MarkdownNode

    /// Parses CommonMark text. libcmark accepts any text; `nil` only if it runs out of memory.
    init?(_ text: String) {
        guard let pointer = text.withCString({ cmark_parse_document($0, strlen($0), CMARK_OPT_DEFAULT) }) else {
            return nil
        }
        root = MarkdownNode(pointer: pointer)
    }

    deinit { cmark_node_free(root.pointer) }

    /// Every node below the root, in document order (collected first, so the caller may change the tree).
    func allNodes() -> [MarkdownNode] {
        var nodes: [MarkdownNode] = []
        guard let iterator = cmark_iter_new(root.pointer) else { return nodes }
        defer { cmark_iter_free(iterator) }
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER,
                  let node = cmark_iter_get_node(iterator), node != root.pointer else { continue }
            nodes.append(MarkdownNode(pointer: node))
        }
        return nodes
    }

    /// The document as HTML. Raw HTML written in the Markdown is left out and unsafe link
    /// schemes (`javascript:`) are dropped (libcmark's safe mode), so a lesson cannot put scripts
    /// into its page; custom nodes, which only this renderer makes, are written as they are.
    func html() -> String {
        guard let rendered = cmark_render_html(root.pointer, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}

/// A node of a ``MarkdownDocument`` (owned by the document).
struct MarkdownNode {
    let pointer: OpaquePointer

    var type: cmark_node_type { cmark_node_get_type(pointer) }

    var children: [MarkdownNode] {
        var result: [MarkdownNode] = []
        var child = cmark_node_first_child(pointer)
        while let current = child {
            result.append(MarkdownNode(pointer: current))
            child = cmark_node_next(current)
        }
        return result
    }

    var literal: String? { cmark_node_get_literal(pointer).map { String(cString: $0) } }

    func setLiteral(_ text: String) { cmark_node_set_literal(pointer, text) }

    var url: String? { cmark_node_get_url(pointer).map { String(cString: $0) } }

    func setURL(_ text: String) { cmark_node_set_url(pointer, text) }

    var title: String? { cmark_node_get_title(pointer).map { String(cString: $0) } }

    func setTitle(_ text: String) { cmark_node_set_title(pointer, text) }

    var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }

    var fenceInfo: String? { cmark_node_get_fence_info(pointer).map { String(cString: $0) } }

    var startLine: Int { Int(cmark_node_get_start_line(pointer)) }

    var endLine: Int { Int(cmark_node_get_end_line(pointer)) }

    /// A new text node.
    static func text(_ text: String) -> MarkdownNode {
        let node = MarkdownNode(pointer: cmark_node_new(CMARK_NODE_TEXT))
        node.setLiteral(text)
        return node
    }

    /// A new node whose HTML is written as given: inline (`CUSTOM_INLINE`) or as a block.
    static func rawHTML(_ html: String, block: Bool = false) -> MarkdownNode {
        let node = MarkdownNode(pointer: cmark_node_new(block ? CMARK_NODE_CUSTOM_BLOCK : CMARK_NODE_CUSTOM_INLINE))
        cmark_node_set_on_enter(node.pointer, html)
        cmark_node_set_on_exit(node.pointer, "")
        return node
    }

    /// The HTML a custom node writes on entering it.
    var onEnter: String? { cmark_node_get_on_enter(pointer).map { String(cString: $0) } }

    /// Puts `node` just before this one.
    func insertBefore(_ node: MarkdownNode) { cmark_node_insert_before(pointer, node.pointer) }

    /// Moves every child of this node, in order, under `other`.
    func moveChildren(to other: MarkdownNode) {
        while let child = cmark_node_first_child(pointer) {
            cmark_node_unlink(child)
            cmark_node_append_child(other.pointer, child)
        }
    }

    /// Puts `node` in this node's place and frees this node.
    func replace(with node: MarkdownNode) {
        cmark_node_replace(pointer, node.pointer)
        cmark_node_free(pointer)
    }

    /// Takes this node out of the tree and frees it.
    func remove() {
        cmark_node_unlink(pointer)
        cmark_node_free(pointer)
    }
}
