/// The names the lesson runner (LessonEngine) and the lesson runtime (LessonKit, NN) must agree
/// on, defined once: the generated program's calls into the runtime, the option and environment
/// variable the runner hands a program. Each side spells them only through this type, so a
/// rename on one side cannot silently break the other.
public enum RuntimeContract {
    /// The module every lesson program imports.
    public static let runtimeModule = "LessonKit"

    /// The type whose static functions the generated program calls.
    public static let runtimeType = "LessonRuntime"

    /// The runtime's entry points, in the order a program calls them (see `LessonRuntime` in
    /// LessonKit for what each does).
    public enum Call: String, CaseIterable, Sendable {
        /// `start(key:)`: prepares the process before any cell runs.
        case start
        /// `runs(cell:)`: whether a cell runs (false for a `fails` cell the runner skips).
        case runs
        /// `beginCell(_:key:)`: everything printed from here belongs to the cell.
        case beginCell
        /// `endCell(_:key:)`: the cell finished without stopping the program.
        case endCell
        /// `finish(key:)`: every cell ran.
        case finish

        /// `LessonRuntime.start`, as the generated source spells the call.
        public var qualifiedName: String { "\(RuntimeContract.runtimeType).\(rawValue)" }
    }

    /// The command-line option that tells a program to skip a cell: `--skip N`, once per cell,
    /// for a `fails` cell whose failure an earlier run already saw.
    public static let skipCellOption = "--skip"

    /// The environment variable naming the folder that holds the pretrained models; the runner
    /// sets it to the project's `Models` folder unless the user already did.
    public static let modelsFolderVariable = "CUADERNO_MODELS"
}
