import ArgumentParser
import GloVe
#if canImport(Glibc)
import Glibc
#endif

/// The `glove` command: the whole libglove pipeline from the shell.
@main
struct Glove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glove",
        abstract: "Min-hash words, count co-occurrences, train GloVe embeddings and query them; recommend items with bilinear models.",
        version: LibraryVersion.string,
        subcommands: [MinHashCommand.self, VocabCommand.self, CooccurCommand.self, ShuffleCommand.self, TrainCommand.self,
                      NeighborsCommand.self, AnalogyCommand.self, ExportCommand.self, EvaluateCommand.self, RecommendCommand.self, PlotCommand.self]
    )

    /// Hands over to the build made for this CPU if there is one, then parses the command line.
    static func main() {
        CPUDispatch.runFastestBuild()
        main(nil)
        guard StandardStreams.flushOutput() else {
            StandardStreams.error("glove: cannot write the standard output: \(String(cString: strerror(errno)))")
            Glibc.exit(1)
        }
    }
}
