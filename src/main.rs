fn main() -> std::process::ExitCode {
    driftwatch::cli::main()
}
