import Foundation

/// Charts as SVG text, drawn here from the figures: no script, no fonts or files fetched. Every
/// chart has a `<title>` and `<desc>` (read by screen readers) and the pack shows the same data as
/// a table beside it. Coordinates are written to one decimal place, so the same figures give the
/// same bytes.
public struct Chart: Sendable {
    /// Unique within a pack: file name (`charts/<id>.svg`) and the prefix of the SVG's element ids.
    public let id: String
    public let title: String
    public let description: String
    /// For inline use in HTML, where ARIA names the figure from its `<title>` and `<desc>`.
    public let svg: String

    /// The standalone file: SVG 1.1 has no ARIA attributes, and `<title>` and `<desc>` name it.
    public var fileSVG: String {
        var file = svg
        if let aria = file.firstRange(of: " role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\"") {
            file.removeSubrange(aria)
        }
        return file
    }
}
