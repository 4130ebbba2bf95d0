import TensorCore

/// Names modules and parameters by path, as PyTorch's `named_parameters()` does: components
/// separated by dots (`encoder.layer.5.attention.self.query.weight`), where `*` stands for any one
/// component (`encoder.layer.*.attention.self.value`).
///
/// A pattern selects a parameter when it names the parameter or a module around it — its
/// components begin the parameter's path, so `"encoder.layer.5"` selects every parameter of layer
/// 5 (not of a layer 50) — see ``Module/unfreeze(matching:file:line:)``. As a LoRA target it names
/// the *end* of a projection's path, as PEFT's `target_modules` do (`"query"` is every layer's
/// query projection) — see ``Module/applyLoRA(rank:alpha:targets:seed:file:line:)``.
public struct PathPattern: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The components, `*` for any one.
    public let components: [String]

    /// The pattern `text`; a trailing dot is ignored (`"encoder.layer.5."` is `"encoder.layer.5"`).
    public init(_ text: String) {
        var parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        while parts.last == "" { parts.removeLast() }
        components = parts
    }

    public init(stringLiteral text: String) {
        self.init(text)
    }

    public var description: String { components.joined(separator: ".") }

    /// Whether the path begins with the pattern's components (a module or parameter it names).
    public func matchesPrefix(of path: String) -> Bool {
        let parts = pathComponents(path)
        return parts.count >= components.count && zip(components, parts).allSatisfy(Self.same)
    }

    /// Whether the path ends with the pattern's components (PEFT's rule for `target_modules`:
    /// the name itself, or a name ending in `.` and the target).
    public func matchesSuffix(of path: String) -> Bool {
        let parts = pathComponents(path)
        return parts.count >= components.count && zip(components, parts.suffix(components.count)).allSatisfy(Self.same)
    }

    private static func same(_ pair: (String, String)) -> Bool {
        pair.0 == "*" || pair.0 == pair.1
    }

    /// How many leading components some path in `paths` shares with the pattern, and what those
    /// paths have next: the place where a mistyped pattern goes wrong.
    func divergence(among paths: [String]) -> (matched: Int, alternatives: [String]) {
        let split = paths.map(pathComponents)
        var depth = 0
        while depth < components.count,
              split.contains(where: { $0.count > depth && zip(components, $0).prefix(depth + 1).allSatisfy(Self.same) }) {
            depth += 1
        }
        var alternatives: [String] = []
        for parts in split where parts.count > depth && zip(components, parts).prefix(depth).allSatisfy(Self.same) {
            if !alternatives.contains(parts[depth]) { alternatives.append(parts[depth]) }
        }
        return (depth, alternatives)
    }
}

private func pathComponents(_ path: String) -> [String] {
    path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
}

extension Module {
    /// Every module inside this one, by path, the module itself first (path `""`), then each
    /// child and its own modules in turn (PyTorch's `named_modules()`).
    public var modules: [(path: String, module: any Module)] {
        var all: [(path: String, module: any Module)] = [("", self)]
        for (childName, child) in children {
            all += child.modules.map { (path: modulePath(childName, $0.path), module: $0.module) }
        }
        return all
    }

    /// The parameters that any of `patterns` selects, in the order of ``parameters``.
    ///
    /// - Precondition: each pattern selects at least one parameter (a typing mistake stops with
    ///   the names that were possible where the pattern went wrong).
    public func parameters(matching patterns: PathPattern..., file: StaticString = #filePath, line: UInt = #line)
        -> [(name: String, parameter: Parameter)] {
        selected(by: patterns, operation: "parameters(matching:)", file: file, line: line)
    }

    /// Freezes the parameters that any of `patterns` selects (PyTorch's `p.requires_grad = False`
    /// for the parameters whose names begin so); the others stay as they are.
    ///
    /// ```swift
    /// model.freeze(matching: "embeddings", "encoder.layer.0")
    /// ```
    /// - Precondition: each pattern selects at least one parameter.
    public func freeze(matching patterns: PathPattern..., file: StaticString = #filePath, line: UInt = #line) {
        for (_, parameter) in selected(by: patterns, operation: "freeze(matching:)", file: file, line: line) {
            parameter.isFrozen = true
        }
    }

    /// Makes the parameters that any of `patterns` selects trainable; the others stay as they are.
    ///
    /// ```swift
    /// model.freeze()                                   // everything
    /// model.unfreeze(matching: "encoder.layer.5")      // then the last layer of six learns
    /// ```
    /// - Precondition: each pattern selects at least one parameter.
    public func unfreeze(matching patterns: PathPattern..., file: StaticString = #filePath, line: UInt = #line) {
        for (_, parameter) in selected(by: patterns, operation: "unfreeze(matching:)", file: file, line: line) {
            parameter.isFrozen = false
        }
    }

    private func selected(by patterns: [PathPattern], operation: String, file: StaticString, line: UInt)
        -> [(name: String, parameter: Parameter)] {
        let all = parameters
        for pattern in patterns where !all.contains(where: { pattern.matchesPrefix(of: $0.name) }) {
            tensorFailure("\(operation): \(noMatch(pattern, among: all.map(\.name), what: "parameter"))", file: file, line: line)
        }
        return all.filter { entry in patterns.contains { $0.matchesPrefix(of: entry.name) } }
    }
}

/// Says where a pattern that selects nothing goes wrong, and what could come there instead.
func noMatch(_ pattern: PathPattern, among paths: [String], what: String) -> String {
    let (matched, alternatives) = pattern.divergence(among: paths)
    let start = pattern.components.prefix(matched).joined(separator: ".")
    let shown = alternatives.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ")
        + (alternatives.count > 12 ? ", …" : "")
    let see = "(print model.parameters.map(\\.name) to see every path)"
    guard !alternatives.isEmpty else {
        return "no \(what) path matches \"\(pattern)\": nothing comes after \"\(start)\" \(see)"
    }
    let place = start.isEmpty ? "a path begins with" : "after \"\(start).\" comes"
    return "no \(what) path matches \"\(pattern)\": \(place) one of \(shown) \(see)"
}
