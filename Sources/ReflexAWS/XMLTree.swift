import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML document read into a tree of elements: all that the AWS query protocol's replies
/// and errors need (element names, their text, their order), with attributes and namespaces
/// left out. Entities and CDATA come back decoded; external entities are never fetched.
struct XMLTree: Sendable, Hashable {
    /// The element's name as written (AWS replies use no prefixes).
    let name: String
    /// The text directly inside the element (for a parent, the whitespace between children).
    var text: String
    /// The child elements in document order.
    var children: [XMLTree]

    /// The deepest nesting read. AWS replies nest less than 10 levels; a deeper document is
    /// not an answer, and refusing it keeps the tree (and its recursive teardown) small.
    static let maxDepth = 32

    /// The first child named `name`.
    func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// The element at the end of `path`, each step the first child of that name.
    func element(_ path: String...) -> XMLTree? {
        path.reduce(Optional(self)) { element, name in element?.child(name) }
    }

    /// The first element named `name` anywhere below this one, depth first.
    func first(_ name: String) -> XMLTree? {
        for child in children {
            if child.name == name { return child }
            if let found = child.first(name) { return found }
        }
        return nil
    }

    /// The values of a query-protocol list: the text of each `<member>` child.
    var members: [String] { children.filter { $0.name == "member" }.map(\.text) }

    /// Reads `data` as an XML document and returns its root element.
    static func parse(_ data: Data) throws -> XMLTree {
        let parser = XMLParser(data: data)
        let builder = Builder()
        parser.delegate = builder
        parser.shouldResolveExternalEntities = false
        let parsed = parser.parse()
        if let problem = builder.problem { throw XMLTreeError(problem) }
        guard parsed, let root = builder.root else {
            throw XMLTreeError("not XML: " + (parser.parserError.map { "\($0)" } ?? "no root element"))
        }
        return root
    }

    /// Builds the tree from the parser's events, one open element per level.
    private final class Builder: NSObject, XMLParserDelegate {
        var open: [XMLTree] = []
        var root: XMLTree?
        var problem: String?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            guard open.count < XMLTree.maxDepth else {
                problem = "XML nested deeper than \(XMLTree.maxDepth) levels"
                parser.abortParsing()
                return
            }
            open.append(XMLTree(name: elementName, text: "", children: []))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard let element = open.popLast() else { return }
            if open.isEmpty { root = element } else { open[open.count - 1].children.append(element) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !open.isEmpty else { return }
            open[open.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard !open.isEmpty else { return }
            open[open.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
        }
    }
}

/// XML that could not be read.
struct XMLTreeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
