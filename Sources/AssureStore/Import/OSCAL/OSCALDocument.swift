import Foundation

// The parts of the OSCAL 1.1.3 catalog and profile models the importer reads. Fields it does
// not use (uuids, revisions, roles, locations, remarks on nested items) are not kept.

struct OSCALProp: Equatable {
    var name: String
    var value: String
    var ns: String?
    var cls: String?
}

struct OSCALLink: Equatable {
    var href: String
    var rel: String?
    var text: String?
}

struct OSCALSelect: Equatable {
    var howMany: String?
    var choice: [String]
}

struct OSCALParam: Equatable {
    var id: String
    var cls: String?
    var label: String?
    var usage: String?
    var values: [String] = []
    var select: OSCALSelect?
    var guidelines: [String] = []
    var props: [OSCALProp] = []
    var links: [OSCALLink] = []
}

struct OSCALPart: Equatable {
    var id: String?
    var name: String
    var ns: String?
    var cls: String?
    var title: String?
    var prose: String?
    var props: [OSCALProp] = []
    var links: [OSCALLink] = []
    var parts: [OSCALPart] = []
}

struct OSCALControl: Equatable {
    var id: String
    var cls: String?
    var title: String
    var params: [OSCALParam] = []
    var props: [OSCALProp] = []
    var links: [OSCALLink] = []
    var parts: [OSCALPart] = []
    var controls: [OSCALControl] = []
    /// 0 for a control, 1 and more for enhancements (controls nested in controls).
    var depth: Int = 0
    /// The id of the top group it came from (its family), kept when `flat` drops the groups.
    var family: String?
    /// Not selected, but kept under `as-is` for its selected enhancements (title only).
    var isImplicit = false

    func prop(_ name: String) -> String? { props.first { $0.name == name && ($0.ns == nil || $0.ns == OSCAL.nistNamespace) }?.value }
    var isWithdrawn: Bool { prop("status")?.lowercased() == "withdrawn" }
}

struct OSCALGroup: Equatable {
    var id: String?
    var cls: String?
    var title: String
    var params: [OSCALParam] = []
    var props: [OSCALProp] = []
    var parts: [OSCALPart] = []
    var groups: [OSCALGroup] = []
    var controls: [OSCALControl] = []

    func prop(_ name: String) -> String? { props.first { $0.name == name && ($0.ns == nil || $0.ns == OSCAL.nistNamespace) }?.value }
    var isEmpty: Bool { groups.isEmpty && controls.isEmpty }
}

struct OSCALMetadata: Equatable {
    var title: String
    var version: String
    var publisher: String
    var remarks: String?
}

/// A catalog, read or resolved from a profile.
struct OSCALCatalog: Equatable {
    var file: String
    var metadata: OSCALMetadata
    var params: [OSCALParam] = []
    var groups: [OSCALGroup] = []
    var controls: [OSCALControl] = []
    /// Every control id and every parameter id of the source (before selection), for telling
    /// a directive that names something unselected from one that names nothing at all.
    var controlIDs: Set<String> = []
    var paramIDs: Set<String> = []
}

// MARK: Profiles

struct OSCALSelector {
    var withIDs: [(id: String, path: [JSONPathStep])] = []
    var matching: [String] = []
    var withChildControls = false
}

struct OSCALImport {
    var href: String
    var path: [JSONPathStep]
    var includeAll = false
    var include: [OSCALSelector] = []
    var exclude: [OSCALSelector] = []
}

struct OSCALSetParameter {
    var paramID: String
    var path: [JSONPathStep]
    var cls: String?
    var label: String?
    var usage: String?
    var values: [String]?
    var select: OSCALSelect?
    var guidelines: [String]?
    var props: [OSCALProp] = []
    var links: [OSCALLink] = []
}

struct OSCALRemove {
    var byName: String?
    var byClass: String?
    var byID: String?
    var byItemName: String?
    var byNS: String?
}

struct OSCALAdd {
    enum Position: String { case before, after, starting, ending }
    var position: Position
    var byID: String?
    var path: [JSONPathStep]
    var title: String?
    var params: [OSCALParam] = []
    var props: [OSCALProp] = []
    var links: [OSCALLink] = []
    var parts: [OSCALPart] = []
}

struct OSCALAlter {
    var controlID: String
    var path: [JSONPathStep]
    var removes: [(remove: OSCALRemove, path: [JSONPathStep])] = []
    var adds: [OSCALAdd] = []
}

struct OSCALProfile {
    enum Structure { case asIs, flat }
    enum Combine: String {
        case keep, merge
        case useFirst = "use-first"
    }
    var metadata: OSCALMetadata
    var imports: [OSCALImport]
    /// nil: no `merge` (or no structuring directive in it).
    var structure: Structure?
    var combine: Combine = .keep
    var setParameters: [OSCALSetParameter] = []
    var alters: [OSCALAlter] = []
    /// Back-matter resources: uuid to its rlink hrefs.
    var resources: [String: [String]] = [:]
}

enum OSCAL {
    static let nistNamespace = "http://csrc.nist.gov/ns/oscal"
}
