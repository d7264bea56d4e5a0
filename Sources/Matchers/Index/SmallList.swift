/// A list that keeps a single element without an array of its own.
///
/// Most keys of the index's maps name one show or one name; an array for each would cost a
/// heap block per key, which at 100,000 shows is tens of megabytes.
enum SmallList<Element: Equatable & Sendable>: Sequence, Sendable {
    case one(Element)
    case many([Element])

    var count: Int {
        switch self {
        case .one: 1
        case .many(let elements): elements.count
        }
    }

    mutating func append(_ element: Element) {
        switch self {
        case .one(let first):
            self = .many([first, element])
        case .many(var elements):
            // Let go of this enum's reference first, so the array grows in place.
            self = .one(element)
            elements.append(element)
            self = .many(elements)
        }
    }

    /// The list without `element`; nil when nothing is left.
    func removing(_ element: Element) -> SmallList? {
        switch self {
        case .one(let only):
            return only == element ? nil : self
        case .many(var elements):
            elements.removeAll { $0 == element }
            switch elements.count {
            case 0: return nil
            case 1: return .one(elements[0])
            default: return .many(elements)
            }
        }
    }

    struct Iterator: IteratorProtocol {
        let list: SmallList
        var position = 0

        mutating func next() -> Element? {
            defer { position += 1 }
            switch list {
            case .one(let only): return position == 0 ? only : nil
            case .many(let elements): return position < elements.count ? elements[position] : nil
            }
        }
    }

    func makeIterator() -> Iterator { Iterator(list: self) }
}

extension Dictionary {
    /// Adds `element` to the list under `key`, starting one when there is none.
    mutating func append<Element>(_ element: Element, to key: Key) where Value == SmallList<Element> {
        if let index = index(forKey: key) {
            values[index].append(element)
        } else {
            self[key] = .one(element)
        }
    }

    /// Takes `element` out of the list under `key`, dropping the key when the list empties.
    mutating func remove<Element>(_ element: Element, from key: Key) where Value == SmallList<Element> {
        guard let list = self[key] else { return }
        self[key] = list.removing(element)
    }
}
