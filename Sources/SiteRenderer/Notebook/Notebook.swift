/// A Jupyter notebook in nbformat 4.5, the version that gives every cell an `id`.
///
/// Only what an export writes is modelled: Markdown and code cells, and stream, display and
/// error outputs. ``json`` turns it into the document Jupyter reads
/// (https://nbformat.readthedocs.io/en/latest/format_description.html).
public struct Notebook: Sendable, Equatable {
    public static let format = 4
    public static let formatMinor = 5

    public var cells: [NotebookCell]
    public var metadata: NotebookMetadata

    public init(cells: [NotebookCell], metadata: NotebookMetadata) {
        self.cells = cells
        self.metadata = metadata
    }

    /// The notebook document.
    public var json: NotebookJSON {
        .object([
            "cells": .array(cells.map(\.json)),
            "metadata": metadata.json,
            "nbformat": .int(Self.format),
            "nbformat_minor": .int(Self.formatMinor),
        ])
    }
}

/// Which version of a lesson a notebook holds.
public enum NotebookVersion: String, Sendable, CaseIterable {
    /// The author's lesson, run: solutions, every check (hidden ones too) and real outputs.
    case reference
    /// The learner's version, as `cuaderno start` writes it: `todo()` for each solution, no hidden
    /// checks, no outputs.
    case learner
}

/// The notebook's metadata: the kernel it names, and what Cuaderno made it from.
public struct NotebookMetadata: Sendable, Equatable {
    /// The lesson's file name without `.md` (`01-self-attention`).
    public var slug: String
    public var title: String
    public var version: NotebookVersion

    /// The key under which Cuaderno's own metadata sits; a file whose metadata has it is one of ours.
    public static let cuadernoKey = "cuaderno"

    public init(slug: String, title: String, version: NotebookVersion) {
        self.slug = slug
        self.title = title
        self.version = version
    }

    var json: NotebookJSON {
        .object([
            // No Swift kernel is maintained for Jupyter: the name says what the code is, for
            // highlighting; the notebook is for reading, not for running again.
            "kernelspec": .object(["display_name": .string("Swift"), "language": .string("swift"), "name": .string("swift")]),
            "language_info": .object(["file_extension": .string(".swift"), "mimetype": .string("text/x-swift"),
                                      "name": .string("swift")]),
            Self.cuadernoKey: .object([
                "slug": .string(slug), "title": .string(title), "version": .string(version.rawValue),
            ]),
        ])
    }
}

/// One cell of a notebook.
public enum NotebookCell: Sendable, Equatable {
    case markdown(id: String, source: String)
    case code(NotebookCodeCell)

    var json: NotebookJSON {
        switch self {
        case .markdown(let id, let source):
            return .object(["cell_type": .string("markdown"), "id": .string(id), "metadata": .object([:]),
                            "source": NotebookJSON.lines(source)])
        case .code(let cell):
            return cell.json
        }
    }
}

/// A code cell: its source, tags and outputs.
public struct NotebookCodeCell: Sendable, Equatable {
    public var id: String
    public var source: String
    /// The cell's kind and properties (`exercise`, `check`, `hidden`…), in `metadata.tags`.
    public var tags: [String]
    /// Its place among the cells that ran, from 1; nil for a cell that did not run.
    public var executionCount: Int?
    public var outputs: [NotebookOutput]

    public init(id: String, source: String, tags: [String], executionCount: Int?, outputs: [NotebookOutput]) {
        self.id = id
        self.source = source
        self.tags = tags
        self.executionCount = executionCount
        self.outputs = outputs
    }

    var json: NotebookJSON {
        let metadata: NotebookJSON = tags.isEmpty ? .object([:]) : .object(["tags": .array(tags.map(NotebookJSON.string))])
        return .object([
            "cell_type": .string("code"), "id": .string(id), "metadata": metadata,
            "source": NotebookJSON.lines(source),
            "execution_count": executionCount.map(NotebookJSON.int) ?? .null,
            "outputs": .array(outputs.map(\.json)),
        ])
    }
}

/// One output of a code cell.
public enum NotebookOutput: Sendable, Equatable {
    /// Printed text.
    case stream(NotebookStream, text: String)
    /// A rich item in one or more representations, keyed by MIME type (`image/svg+xml`,
    /// `text/html`, `text/plain`…); a reader shows the richest it can.
    case displayData([String: String])
    /// A failure: its name, its one-line value and its lines of explanation.
    case error(name: String, value: String, traceback: [String])

    var json: NotebookJSON {
        switch self {
        case .stream(let stream, let text):
            return .object(["output_type": .string("stream"), "name": .string(stream.rawValue), "text": NotebookJSON.lines(text)])
        case .displayData(let bundle):
            return .object(["output_type": .string("display_data"), "metadata": .object([:]),
                            "data": .object(bundle.mapValues(NotebookJSON.lines))])
        case .error(let name, let value, let traceback):
            return .object(["output_type": .string("error"), "ename": .string(name), "evalue": .string(value),
                            "traceback": .array(traceback.map(NotebookJSON.string))])
        }
    }
}

/// The stream printed text came on.
public enum NotebookStream: String, Sendable {
    case stdout
    case stderr
}
