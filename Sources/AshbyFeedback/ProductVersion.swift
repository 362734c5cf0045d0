/// The version of ashby-feedback, kept here and nowhere else: `ashby-feedback --version` prints it,
/// `scripts/package.sh` asks the built binary for it to name the Debian package, and the README's
/// container image is tagged with it. Raise it for every release that reaches a server.
public enum ProductVersion {
    public static let current = "1.0.0"
}
