import BoardPackAnalysis
import BoardPackCore
import Foundation

/// A line of a commentary's bullet list.
public struct CommentaryItemView: Sendable {
    public let text: String
}

/// A paragraph, or a bullet list, of commentary text.
public struct CommentaryBlockView: Sendable {
    public let isList: Bool
    public let text: String
    public let items: [CommentaryItemView]
}

/// Commentary on one subject, as the pack shows it beside the subject.
public struct CommentaryView: Sendable {
    /// What it is about, e.g. `00C-Q06 Frailty same-day emergency care` (none for a section's
    /// introduction).
    public let hasSubject: Bool
    public let subject: String
    /// `Oct 2026`: the month the commentary is for.
    public let month: String
    public let author: String
    /// Written for the reporting month.
    public let isCurrent: Bool
    /// For an exception: "No update this month" and, when there is one, which month's is shown.
    public let hasStaleNote: Bool
    public let staleNote: String
    public let hasText: Bool
    public let blocks: [CommentaryBlockView]
    public let hasReason: Bool
    public let reason: String
    public let hasAction: Bool
    public let action: String
    public let actionOwner: String
    public let actionDue: String
    public let isOverdue: Bool
}

extension ViewBuilder {
    static func monthText(_ m: FinancialMonth) -> String { "\(m.shortMonthName) \(m.calendarYear)" }

    /// Plain text as paragraphs (split at blank lines) and bullet lists (lines starting `- `).
    static func blocks(_ text: String) -> [CommentaryBlockView] {
        var blocks: [CommentaryBlockView] = []
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for paragraph in normalised.components(separatedBy: "\n\n") {
            var prose: [String] = []
            var items: [CommentaryItemView] = []
            func flush() {
                if !prose.isEmpty {
                    blocks.append(CommentaryBlockView(isList: false, text: prose.joined(separator: " "), items: []))
                    prose = []
                }
                if !items.isEmpty {
                    blocks.append(CommentaryBlockView(isList: true, text: "", items: items))
                    items = []
                }
            }
            for raw in paragraph.split(separator: "\n") {
                let line = String(raw).trimmingCharacters(in: .whitespaces)
                if line.isEmpty { continue }
                if line.hasPrefix("- ") || line == "-" {
                    if !prose.isEmpty {
                        blocks.append(CommentaryBlockView(isList: false, text: prose.joined(separator: " "), items: []))
                        prose = []
                    }
                    items.append(
                        CommentaryItemView(text: String(line.dropFirst()).trimmingCharacters(in: .whitespaces)))
                } else {
                    if !items.isEmpty {
                        blocks.append(CommentaryBlockView(isList: true, text: "", items: items))
                        items = []
                    }
                    prose.append(line)
                }
            }
            flush()
        }
        return blocks
    }

    /// Whether an action's due date (`YYYY-MM-DD`) is before the reporting month.
    static func isOverdue(_ due: String, period: FinancialMonth) -> Bool {
        !due.isEmpty && String(due.prefix(7)) < period.calendarText
    }

    /// The latest commentary on a subject, or for an exception the note that there is none this month.
    static func commentary(
        _ pack: PackFigures, _ subject: CommentaryEntry.Subject, _ id: String, title: String, exception: Bool = false
    ) -> [CommentaryView] {
        let latest = pack.latestCommentary(subject, id)
        guard let entry = latest else {
            guard exception else { return [] }
            return [
                CommentaryView(
                    hasSubject: !title.isEmpty, subject: title, month: monthText(pack.period), author: "",
                    isCurrent: false, hasStaleNote: true,
                    staleNote: "No update this month, and no earlier commentary.", hasText: false, blocks: [],
                    hasReason: false, reason: "", hasAction: false, action: "", actionOwner: "", actionDue: "",
                    isOverdue: false)
            ]
        }
        let current = entry.period == pack.period
        // Outside the exceptions, commentary from an earlier month is still shown, with its month.
        let stale = !current
        return [
            CommentaryView(
                hasSubject: !title.isEmpty, subject: title, month: monthText(entry.period), author: entry.author,
                isCurrent: current,
                hasStaleNote: stale,
                staleNote: stale
                    ? (exception
                        ? "No update this month; the latest, from \(monthText(entry.period)):"
                        : "From \(monthText(entry.period)):") : "",
                hasText: true, blocks: blocks(entry.text), hasReason: !entry.reason.isEmpty, reason: entry.reason,
                hasAction: !entry.action.isEmpty, action: entry.action,
                actionOwner: entry.actionOwner.isEmpty ? "not named" : entry.actionOwner,
                actionDue: entry.actionDue.isEmpty ? "not set" : entry.actionDue,
                isOverdue: isOverdue(entry.actionDue, period: pack.period))
        ]
    }
}
