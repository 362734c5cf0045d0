import Foundation

/// Cuts the top-level `results` array of a response body into the bytes of each element, exactly as
/// received, for audit rows and jsonb columns (no re-serialization, one linear scan).
///
/// It only finds boundaries: call it on bodies that already parsed as JSON.
struct JSONResultsSplitter {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    /// Each element of `results` (an array) as its own `Data`; nil when `results` is absent or not an array.
    static func results(in body: Data) -> [Data]? {
        body.withUnsafeBytes { buffer in
            var splitter = JSONResultsSplitter(bytes: buffer)
            return splitter.resultsElements()
        }
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func resultsElements() -> [Data]? {
        skipWhitespace()
        guard current == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { return nil }
            let keyStart = index
            skipString()
            let isResults = bytes[keyStart..<index].elementsEqual(#""results""#.utf8)
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { return nil }
            index += 1
            skipWhitespace()
            if isResults {
                return current == UInt8(ascii: "[") ? arrayElements() : nil
            }
            skipValue()
            skipWhitespace()
            guard current == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }

    private mutating func arrayElements() -> [Data]? {
        index += 1
        var elements: [Data] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { return elements }
        while index < bytes.count {
            let start = index
            skipValue()
            elements.append(Data(bytes[start..<index]))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"): return elements
            default: return nil
            }
        }
        return nil
    }

    private mutating func skipValue() {
        switch current {
        case UInt8(ascii: "\""):
            skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    skipString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                default:
                    break
                }
                index += 1
                if depth == 0 { return }
            }
        default:
            while let byte = current, !Self.scalarTerminators.contains(byte) { index += 1 }
        }
    }

    /// Skips a string starting at its opening quote, honouring backslash escapes.
    private mutating func skipString() {
        index += 1
        while let byte = current {
            index += byte == UInt8(ascii: "\\") ? 2 : 1
            if byte == UInt8(ascii: "\"") { return }
        }
        index = min(index, bytes.count)
    }

    private mutating func skipWhitespace() {
        while let byte = current, Self.whitespace.contains(byte) { index += 1 }
    }

    private static let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
    private static let scalarTerminators: Set<UInt8> = [
        UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D,
    ]
}
