import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct PackageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package", abstract: "Build the evidence package for the auditor (a ZIP), or verify one.",
        discussion: """
            The ZIP holds each evidence file once, manifest.json (every file's SHA-256, the control, requirements and \
            requests it answers, the change-log head) and index.html, which browses it by requirement, control and \
            request and works offline after unzipping. The same workspace gives the same bytes. Evidence that was \
            rejected is left out; pending evidence is in, marked so.

            Examples:
              assure package -o larkspur-type2.zip                  (the SOC 2 audit window, when one is set)
              assure package -o h1.zip --window 2026-01-01..2026-06-30 --framework soc2
              assure package verify larkspur-type2.zip
              assure package -o type2.zip --sign && assure package verify type2.zip   (checks type2.zip.sig too)
            """,
        subcommands: [PackageBuild.self, PackageVerify.self], defaultSubcommand: PackageBuild.self)
}

struct PackageBuild: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Write the evidence package.")
    @OptionGroup var options: WorkspaceOptions
    @Option(name: .shortAndLong, help: ArgumentHelp("The ZIP to write.", valueName: "file")) var output: String
    @Option(help: ArgumentHelp("Only evidence proving dates in FROM..TO (default: the framework's audit window, else all).", valueName: "from..to"))
    var window: String?
    @Option(help: "Only this framework's requirements (default: every framework in scope).") var framework: String?
    @OptionGroup var signing: SignOptions
    func run() throws {
        try signing.check(output: output)
        var range: (String, String)?
        if let window {
            let parts = window.components(separatedBy: "..")
            guard parts.count == 2, DueDate.parseDay(parts[0]) != nil, DueDate.parseDay(parts[1]) != nil, parts[0] <= parts[1] else {
                throw CLIError("--window takes FROM..TO as dates, e.g. 2026-01-01..2026-06-30")
            }
            range = (parts[0], parts[1])
        }
        let url = URL(fileURLWithPath: output)
        // Signing may record the signer's key first: only then is the workspace opened writable.
        let workspace = try options.open(readOnly: !signing.sign)
        let identity = try signing.prepare(workspace, options: options)
        let (summary, anchor) = try workspace.read { r -> (PackageSummary, ChainAnchor) in
            let contents = try r.evidencePackageContents(window: range, framework: framework, today: today)
            return (try EvidencePackage.write(contents, to: url), ChainAnchor(rows: contents.chainCount, head: contents.chainHead))
        }
        print(
            Sanitize.line("\(output): \(summary.evidence) evidence entries, \(summary.files) files, \(summary.bytes) bytes; sha256 \(summary.sha256)")
        )
        if let identity { try signing.writeSignature(sha256: summary.sha256, of: output, anchor: anchor, identity: identity) }
    }
}

struct PackageVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Recheck every file of a package against its manifest, and its signature when it was signed.",
        discussion:
            "A FILE.sig beside the package (written by assure package --sign) is checked too, against the workspace: the ZIP's SHA-256, the signature, the signer's recorded key and the change-log anchor."
    )
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The package ZIP.") var file: String
    @Option(help: ArgumentHelp("The signature file (default: FILE.sig when it exists).", valueName: "path")) var signature: String?
    func run() throws {
        let result = try EvidencePackageVerifier.verify(URL(fileURLWithPath: file))
        for problem in result.problems { print(Sanitize.line("problem: \(problem)")) }
        print(
            Sanitize.line(
                "\(file): \(result.files) files, \(result.evidence) evidence entries, change-log head \(result.chainHead) (\(result.chainCount) rows)"
            ))
        guard result.isIntact else { throw ExitCode(1) }
        print("intact: every file matches its SHA-256")
        let sigPath = signature ?? file + ".sig"
        guard signature != nil || FileManager.default.fileExists(atPath: sigPath) else { return }
        guard let sigData = FileManager.default.contents(atPath: sigPath) else { throw CLIError("\(sigPath): cannot read the signature") }
        let parsed: ExportSignature
        do { parsed = try ExportSignature.parse(String(decoding: sigData, as: UTF8.self), file: sigPath) } catch let error as SigningError {
            throw CLIError(Sanitize.line(error.description))
        }
        let digest = try FileDigest.sha256(path: file)
        do {
            let check = try options.open(readOnly: true).read { try $0.verify(parsed, sha256: digest, file: file, signatureFile: sigPath) }
            print(Sanitize.line("signed by \(check.signer.name) at \(check.signature.signedAt); the signature and the signer's key check out"))
        } catch let error as SigningError {
            FileHandle.standardError.write(Data("assure: \(Sanitize.line(error.description))\n".utf8))
            throw ExitCode(1)
        }
    }
}
