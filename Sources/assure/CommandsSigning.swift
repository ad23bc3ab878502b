import ArgumentParser
import AssureStore
import Foundation
import TerminalUI

/// `--sign` on exports and the report: a detached Ed25519 signature written beside the file.
struct SignOptions: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Sign the file with your key ($XDG_CONFIG_HOME/assure/keys/NAME.ed25519, created on first use) and write FILE.sig beside it (needs -o FILE)."
        ))
    var sign = false

    /// Refuses `--sign` without a file to sign.
    func check(output: String?) throws {
        if sign && output == nil {
            throw CLIError("--sign needs -o FILE: the signature is written beside the file as FILE.sig, and standard output cannot be signed")
        }
    }

    /// Loads (or creates) the actor's key and records its public key in the workspace on first
    /// use, before the export is read, so the export's anchor covers that record.
    func prepare(_ workspace: Workspace, options: WorkspaceOptions) throws -> SigningIdentity? {
        guard sign else { return nil }
        let identity = try SigningKeys.loadOrCreate(
            name: options.resolvedActor, environment: ProcessInfo.processInfo.environment,
            workspacePath: workspace.path)
        let recorded = try workspace.read { try $0.signer(publicKey: identity.publicKeyHex) }
        if recorded == nil {
            try workspace.write(options.acting()) { try $0.recordSigner(name: identity.name, publicKey: identity.publicKeyHex) }
        }
        if identity.created {
            FileHandle.standardError.write(Data("assure: created your signing key \(identity.keyPath)\n".utf8))
        }
        return identity
    }

    /// Writes `text` to `output`, then, when signing, `output.sig`.
    func write(_ text: String, to output: String?, anchor: ChainAnchor, identity: SigningIdentity?) throws {
        try Output.write(text, to: output)
        guard let identity, let output else { return }
        try writeSignature(sha256: ExportSignature.digest(Data(text.utf8)), of: output, anchor: anchor, identity: identity)
    }

    /// Writes `output.sig` for a file already written, given its SHA-256 (the evidence package
    /// hashes itself as it is written and is never read back whole).
    func writeSignature(sha256: String, of output: String, anchor: ChainAnchor, identity: SigningIdentity) throws {
        let signature = try ExportSignature.sign(sha256: sha256, anchor: anchor, by: identity, at: Date())
        try Output.write(signature.text, to: output + ".sig")
        FileHandle.standardError.write(Data("assure: signed \(output) as \(Sanitize.line(identity.name)); signature in \(output).sig\n".utf8))
    }
}

struct VerifySignature: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-signature",
        abstract: "Check a signed export or report: its SHA-256, its signature, and that the signer's key is recorded in the workspace.",
        discussion: """
            Reads FILE and FILE.sig (written by --sign on assure export or assure report). Exits 1 and says why when the file \
            changed since it was signed, the signature was altered or forged, the key is not recorded in this workspace for \
            the signer it names, or the change-log anchor it names is not in this workspace's change log.

            Examples:
              assure export controls --format csv -o controls.csv --sign
              assure verify-signature controls.csv -w acme.assure
            """)

    @OptionGroup var options: WorkspaceOptions
    @Argument(help: ArgumentHelp("The signed file.", valueName: "file"))
    var file: String
    @Option(help: ArgumentHelp("The signature file (default: FILE.sig).", valueName: "path"))
    var signature: String?

    func run() throws {
        let sigPath = signature ?? file + ".sig"
        guard let data = FileManager.default.contents(atPath: file) else { throw failure("\(file): cannot read the file") }
        guard let sigData = FileManager.default.contents(atPath: sigPath) else {
            throw failure("\(sigPath): cannot read the signature (sign with --sign, or name it with --signature)")
        }
        let workspace = try options.open(readOnly: true)
        let check: SignatureCheck
        do {
            let parsed = try ExportSignature.parse(String(decoding: sigData, as: UTF8.self), file: sigPath)
            check = try workspace.read { try $0.verify(parsed, of: data, file: file, signatureFile: sigPath) }
        } catch let error as SigningError {
            throw failure(Sanitize.line(error.description))
        }
        let s = check.signature
        print("ok: \(file) signed by \(Sanitize.line(check.signer.name)) at \(Sanitize.line(s.signedAt))")
        print("key: \(s.publicKey) (recorded \(check.signer.recordedAt))")
        print("sha256: \(s.sha256)")
        print(s.anchor.line)
    }

    /// Says why on standard error; the caller throws the result (exit 1).
    private func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("assure: verify-signature failed: \(message)\n".utf8))
        return ExitCode.failure
    }
}
