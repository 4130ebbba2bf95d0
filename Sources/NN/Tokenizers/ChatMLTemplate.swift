import Foundation

/// One message of a conversation with a chat model: who speaks, and what they say.
///
/// ```swift
/// let conversation = [ChatMessage(.system, "Answer in Spanish."), ChatMessage(.user, "Hello!")]
/// ```
public struct ChatMessage: Sendable, Equatable {
    /// Who speaks in a message.
    public enum Role: String, Sendable, CaseIterable {
        /// Instructions for the model, before the conversation.
        case system
        /// The person talking to the model.
        case user
        /// The model.
        case assistant
    }

    /// Who speaks.
    public var role: Role
    /// What they say, as it is (special tokens written in it are not escaped, as in Hugging Face).
    public var content: String

    /// A message from `role`.
    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// The ChatML chat format, in which SmolLM2, Qwen and many other chat models were trained: each
/// message a turn between `<|im_start|>` and `<|im_end|>`, the role on the first line.
///
/// ```text
/// <|im_start|>system
/// You are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>
/// <|im_start|>user
/// What is the capital of Spain?<|im_end|>
/// <|im_start|>assistant
/// ```
///
/// ```swift
/// let template = try ChatMLTemplate(gguf: file)
/// let prompt = template.text(for: [ChatMessage(.user, "What is the capital of Spain?")])
/// let ids = tokenizer.encode(prompt)   // then generate until tokenizer.endOfGenerationIDs
/// ```
///
/// A GGUF file carries its template as Jinja source in `tokenizer.chat_template`. This type runs
/// no Jinja: it recognises the two ChatML templates that Hugging Face's chat models ship — the
/// plain one, and the one that puts a default system message first when the conversation has
/// none (SmolLM2's) — and writes what they write. Any other template is refused, rather than
/// guessed at.
public struct ChatMLTemplate: Sendable, Equatable {
    /// The token that starts a turn.
    public static let startOfTurn = "<|im_start|>"
    /// The token that ends a turn; a chat model writes it when its answer is complete.
    public static let endOfTurn = "<|im_end|>"

    /// The system message put first when a conversation does not start with one, or nil when
    /// the template puts none: for SmolLM2, "You are a helpful AI assistant named SmolLM,
    /// trained by Hugging Face".
    public let defaultSystemMessage: String?

    /// The ChatML template with the given default system message (nil: none).
    public init(defaultSystemMessage: String? = nil) {
        self.defaultSystemMessage = defaultSystemMessage
    }

    /// The template of a GGUF file, recognised from its `tokenizer.chat_template`.
    ///
    /// - Throws: ``GGUFTokenizerError`` naming the file when it has no chat template, or one that
    ///   is not one of the two ChatML templates.
    public init(gguf file: GGUFFile) throws {
        let metadata = GGUFTokenizerMetadata(file)
        let source = try metadata.string("tokenizer.chat_template", expected: "the chat template, as Jinja source")
        guard let template = Self(recognising: source) else {
            throw metadata.error(.notChatML(start: String(source.prefix(120))))
        }
        self = template
    }

    /// The text of a conversation, as the template renders it with Hugging Face's
    /// `apply_chat_template(messages, add_generation_prompt=…)`.
    ///
    /// - Parameters:
    ///   - messages: the conversation so far, oldest first.
    ///   - addingGenerationPrompt: whether to end with the start of the assistant's turn
    ///     (`<|im_start|>assistant\n`), for the model to write its answer after.
    public func text(for messages: [ChatMessage], addingGenerationPrompt: Bool = true) -> String {
        var text = ""
        if let defaultSystemMessage, let first = messages.first, first.role != .system {
            text += Self.turn(role: ChatMessage.Role.system.rawValue, content: defaultSystemMessage)
        }
        for message in messages {
            text += Self.turn(role: message.role.rawValue, content: message.content)
        }
        if addingGenerationPrompt {
            text += Self.startOfTurn + ChatMessage.Role.assistant.rawValue + "\n"
        }
        return text
    }

    private static func turn(role: String, content: String) -> String {
        startOfTurn + role + "\n" + content + endOfTurn + "\n"
    }

    // MARK: Recognising the Jinja source

    /// The plain ChatML template, as Hugging Face's chat models ship it (with a newline where
    /// the Jinja string literals have one).
    private static let plainSource = "{% for message in messages %}"
        + "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"

    /// The start and end of the ChatML template with a default system message, which stands
    /// between them (SmolLM2's, with "You are a helpful AI assistant named SmolLM, trained by
    /// Hugging Face").
    private static let defaultSystemSource = (
        start: "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
            + "{{ '<|im_start|>system\n",
        end: "<|im_end|>\n' }}{% endif %}"
            + "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")

    /// The template whose Jinja source this is, or nil when it is not ChatML. A newline in a
    /// string literal may be written as it is or as the escape `\n`; the default system message
    /// must be plain text (no quote or backslash, which would need Jinja's escapes).
    init?(recognising source: String) {
        let source = source.replacingOccurrences(of: "\\n", with: "\n")
        if source == Self.plainSource {
            self.init(defaultSystemMessage: nil)
            return
        }
        let (start, end) = Self.defaultSystemSource
        guard source.hasPrefix(start), source.hasSuffix(end), source.count >= start.count + end.count else { return nil }
        let message = source.dropFirst(start.count).dropLast(end.count)
        guard !message.contains("'"), !message.contains("\\"), !message.contains("{"), !message.contains("}") else {
            return nil
        }
        self.init(defaultSystemMessage: String(message))
    }
}
