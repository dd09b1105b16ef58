/// Everything BoardPack read from one input folder, validated and typed.
/// Built by BoardPackIngest; read by BoardPackAnalysis.
public struct Dataset: Sendable {
    public var organisations: [Organisation]
    public var schemes: [Scheme]
    public var submissions: [Submission]
    /// Contract monitoring after the latest-submission rule, sorted by key.
    public var activity: [ActivityLine]
    /// From the optional finance_ledger.csv.
    public var ledger: [LedgerLine] = []
    /// From the optional quality_premium.csv.
    public var qualityPremium: [QualityPremiumItem] = []
    /// From the optional metrics.csv and metric_definitions.csv.
    public var metrics: [MetricPoint] = []
    public var metricDefinitions: [MetricDefinition] = []
    /// From the optional risks.csv, in file order.
    public var risks: [RiskItem] = []
    /// From the optional commentary.csv, in file order.
    public var commentary: [CommentaryEntry] = []
    /// Every file read, in the order read, relative to the input folder, with its status when it
    /// was checked (before it was parsed): the manifest hashes these and checks that none changed.
    public var files: [InputFileRecord] = []

    public init(
        organisations: [Organisation], schemes: [Scheme], submissions: [Submission],
        activity: [ActivityLine]
    ) {
        self.organisations = organisations
        self.schemes = schemes
        self.submissions = submissions
        self.activity = activity
    }

    public var commissioners: [Organisation] { organisations.filter(\.isCommissioner) }

    public func organisation(_ code: ShortCode) -> Organisation? {
        organisations.first { $0.code == code }
    }
}

/// One file a build read.
public struct InputFileRecord: Sendable, Hashable {
    /// Relative to the input folder, `/`-separated.
    public var path: String
    public var status: FileStatus

    public init(path: String, status: FileStatus) {
        self.path = path
        self.status = status
    }
}

public enum OrganisationType: String, CaseIterable, Sendable {
    case ccg = "CCG"
    case icb = "ICB"
    case subICB = "SUB_ICB"
    case provider = "PROVIDER"

    public var isCommissioner: Bool { self != .provider }
}

public struct Organisation: Sendable, Hashable {
    public var code: ShortCode
    public var name: String
    public var type: OrganisationType
    public var parent: ShortCode?
    /// Required for commissioners; blank allowed for providers.
    public var registeredPopulation: Int64?
    public var programmeAllocation: Money?
    public var qippTarget: Money?
    public var runningCostAllowance: Money?

    public init(
        code: ShortCode, name: String, type: OrganisationType, parent: ShortCode? = nil,
        registeredPopulation: Int64? = nil, programmeAllocation: Money? = nil, qippTarget: Money? = nil,
        runningCostAllowance: Money? = nil
    ) {
        self.code = code
        self.name = name
        self.type = type
        self.parent = parent
        self.registeredPopulation = registeredPopulation
        self.programmeAllocation = programmeAllocation
        self.qippTarget = qippTarget
        self.runningCostAllowance = runningCostAllowance
    }

    public var isCommissioner: Bool { type.isCommissioner }
}

/// Where a QIPP scheme is in its life. Only `APPROVED`, `IMPLEMENTING` and
/// `DELIVERED` count in the plan ("identified"); `IDEA`, `PID` and
/// `BUSINESS_CASE` are the pipeline; `CLOSED` counts in neither.
public enum GatewayStage: String, CaseIterable, Sendable, Comparable {
    case idea = "IDEA"
    case pid = "PID"
    case businessCase = "BUSINESS_CASE"
    case approved = "APPROVED"
    case implementing = "IMPLEMENTING"
    case delivered = "DELIVERED"
    case closed = "CLOSED"

    public var isIdentified: Bool { self == .approved || self == .implementing || self == .delivered }
    public var isPipeline: Bool { self == .idea || self == .pid || self == .businessCase }

    var rank: Int { GatewayStage.allCases.firstIndex(of: self)! }
    public static func < (a: GatewayStage, b: GatewayStage) -> Bool { a.rank < b.rank }

    /// `Business case`
    public var label: String {
        switch self {
        case .idea: "Idea"
        case .pid: "PID"
        case .businessCase: "Business case"
        case .approved: "Approved"
        case .implementing: "Implementing"
        case .delivered: "Delivered"
        case .closed: "Closed"
        }
    }
}

public enum Recurrence: String, CaseIterable, Sendable {
    case recurrent = "R"
    case nonRecurrent = "NR"
}

public enum RAG: String, CaseIterable, Sendable {
    case red = "R"
    case amber = "A"
    case green = "G"

    public var label: String {
        switch self {
        case .red: "Red"
        case .amber: "Amber"
        case .green: "Green"
        }
    }
}

public struct Scheme: Sendable {
    public var id: String
    public var commissioner: ShortCode
    public var name: String
    public var programme: String
    public var sro: String
    public var stage: GatewayStage
    public var recurrence: Recurrence
    public var annualTarget: Money
    public var reportedRAG: RAG?
    public var projectManager: String?
    public var financeLead: String?
    public var provider: ShortCode?
    public var pointOfDelivery: ShortCode?
    public var treatmentFunction: ShortCode?
    public var startMonth: Int?
    public var investment: Money?
    /// Monthly phasing and delivery, sorted by month.
    public var months: [SchemeMonth]
    /// The input row, for diagnostics.
    public var location: SourceLocation?

    public init(
        id: String, commissioner: ShortCode, name: String, programme: String, sro: String,
        stage: GatewayStage, recurrence: Recurrence, annualTarget: Money, reportedRAG: RAG? = nil,
        projectManager: String? = nil, financeLead: String? = nil, provider: ShortCode? = nil,
        pointOfDelivery: ShortCode? = nil, treatmentFunction: ShortCode? = nil, startMonth: Int? = nil,
        investment: Money? = nil, months: [SchemeMonth] = [], location: SourceLocation? = nil
    ) {
        self.id = id
        self.commissioner = commissioner
        self.name = name
        self.programme = programme
        self.sro = sro
        self.stage = stage
        self.recurrence = recurrence
        self.annualTarget = annualTarget
        self.reportedRAG = reportedRAG
        self.projectManager = projectManager
        self.financeLead = financeLead
        self.provider = provider
        self.pointOfDelivery = pointOfDelivery
        self.treatmentFunction = treatmentFunction
        self.startMonth = startMonth
        self.investment = investment
        self.months = months
        self.location = location
    }
}

extension Scheme {
    /// The year of the plan the scheme belongs to: the reporting year when it has a month in it (or
    /// no months at all), otherwise the latest year of its months when they are all earlier.
    public func planYear(reporting year: FinancialYear) -> FinancialYear {
        guard let latest = months.map(\.period.year).max(), latest < year else { return year }
        return latest
    }

    /// The first month of its plan year: `start_month`, else the first month with a planned saving.
    public func goLive(reporting year: FinancialYear) -> FinancialMonth? {
        let plan = planYear(reporting: year)
        if let start = startMonth { return FinancialMonth(year: plan, month: start) }
        return months.filter { $0.period.year == plan && $0.planned.pence > 0 }.map(\.period).min()
    }
}

public struct SchemeMonth: Sendable, Hashable {
    public var period: FinancialMonth
    public var planned: Money
    /// nil when the month has not been reported yet.
    public var actual: Money?
    public var forecast: Money?
    /// The optional best and worst cases for the month (`best_forecast_saving_gbp`,
    /// `worst_forecast_saving_gbp`): the analyst's scenarios, read only for months after the
    /// reporting month, as the forecast is.
    public var bestForecast: Money?
    public var worstForecast: Money?
    /// The input row, for diagnostics.
    public var location: SourceLocation?

    public init(
        period: FinancialMonth, planned: Money, actual: Money? = nil, forecast: Money? = nil,
        bestForecast: Money? = nil, worstForecast: Money? = nil, location: SourceLocation? = nil
    ) {
        self.period = period
        self.planned = planned
        self.actual = actual
        self.forecast = forecast
        self.bestForecast = bestForecast
        self.worstForecast = worstForecast
        self.location = location
    }
}

/// One contract-monitoring file: a provider's submission.
public struct Submission: Sendable, Hashable {
    public enum Format: String, Sendable { case csv, xml, xlsx }

    /// The file name without its extension; the CSV and XML forms of one
    /// submission share it.
    public var id: String
    /// The path within the input folder, e.g. `activity/RXX-202627-M07.csv`.
    public var path: String
    public var format: Format
    /// The latest `date_and_time_data_set_created` in the file, normalised to
    /// `YYYY-MM-DDTHH:MM:SS`; nil when the file has none.
    public var created: String?
    /// The latest financial month the file holds.
    public var latestPeriod: FinancialMonth?
    /// The first row holding `latestPeriod`.
    public var latestPeriodLocation: SourceLocation?
    public var providers: [ShortCode]
    public var rowsRead: Int
    /// Rows whose (provider, commissioner, year, month) a later submission restated.
    public var rowsSuperseded: Int

    public init(
        id: String, path: String, format: Format, created: String?, latestPeriod: FinancialMonth?,
        providers: [ShortCode], rowsRead: Int, rowsSuperseded: Int = 0
    ) {
        self.id = id
        self.path = path
        self.format = format
        self.created = created
        self.latestPeriod = latestPeriod
        self.providers = providers
        self.rowsRead = rowsRead
        self.rowsSuperseded = rowsSuperseded
    }

    /// The order in which submissions supersede one another: later `created`
    /// wins (a file without one is older than any file with one); then the
    /// later latest month held; then the later file name (byte order).
    public static func isSuperseded(_ a: Submission, by b: Submission) -> Bool {
        let ac = a.created ?? ""
        let bc = b.created ?? ""
        if ac != bc { return ac < bc }
        let ap = a.latestPeriod?.ordinal ?? Int.min
        let bp = b.latestPeriod?.ordinal ?? Int.min
        if ap != bp { return ap < bp }
        return Array(a.id.utf8).lexicographicallyPrecedes(Array(b.id.utf8))
    }
}

/// The grain of contract monitoring in BoardPack.
public struct ActivityKey: Hashable, Comparable, Sendable {
    public var commissioner: ShortCode
    public var provider: ShortCode
    public var pointOfDelivery: ShortCode
    public var treatmentFunction: ShortCode
    /// `FinancialMonth.ordinal`
    public var periodOrdinal: Int32

    public init(
        commissioner: ShortCode, provider: ShortCode, pointOfDelivery: ShortCode,
        treatmentFunction: ShortCode, period: FinancialMonth
    ) {
        self.commissioner = commissioner
        self.provider = provider
        self.pointOfDelivery = pointOfDelivery
        self.treatmentFunction = treatmentFunction
        self.periodOrdinal = Int32(period.ordinal)
    }

    public var period: FinancialMonth { FinancialMonth(ordinal: Int(periodOrdinal)) }

    /// The unit the latest-submission rule works on.
    public var restatementKey: RestatementKey {
        RestatementKey(provider: provider, commissioner: commissioner, periodOrdinal: periodOrdinal)
    }

    public static func < (a: ActivityKey, b: ActivityKey) -> Bool {
        if a.commissioner != b.commissioner { return a.commissioner < b.commissioner }
        if a.provider != b.provider { return a.provider < b.provider }
        if a.periodOrdinal != b.periodOrdinal { return a.periodOrdinal < b.periodOrdinal }
        if a.pointOfDelivery != b.pointOfDelivery { return a.pointOfDelivery < b.pointOfDelivery }
        return a.treatmentFunction < b.treatmentFunction
    }
}

/// (provider, commissioner, financial year and month): for each, only the
/// latest submission's rows count.
public struct RestatementKey: Hashable, Comparable, Sendable {
    public var provider: ShortCode
    public var commissioner: ShortCode
    public var periodOrdinal: Int32

    public static func < (a: RestatementKey, b: RestatementKey) -> Bool {
        (a.provider, a.commissioner, a.periodOrdinal) < (b.provider, b.commissioner, b.periodOrdinal)
    }
}

public struct ActivitySums: Hashable, Sendable {
    public var plannedActivity: Quantity = .zero
    public var actualActivity: Quantity = .zero
    public var plannedPrice: Money = .zero
    public var actualPrice: Money = .zero
    /// The rows summed. Held in 32 bits (a cell of more than two billion rows is not read), so that
    /// with the line's submission an `ActivityLine` is 112 bytes rather than 120: millions are held.
    private var rowCount: Int32 = 0
    public var rows: Int {
        get { Int(rowCount) }
        set { rowCount = Int32(clamping: newValue) }
    }

    public init() {}

    public init(
        plannedActivity: Quantity, actualActivity: Quantity, plannedPrice: Money, actualPrice: Money,
        rows: Int = 1
    ) {
        self.plannedActivity = plannedActivity
        self.actualActivity = actualActivity
        self.plannedPrice = plannedPrice
        self.actualPrice = actualPrice
        self.rows = rows
    }

    public mutating func add(_ other: ActivitySums) {
        plannedActivity += other.plannedActivity
        actualActivity += other.actualActivity
        plannedPrice += other.plannedPrice
        actualPrice += other.actualPrice
        rows += other.rows
    }
}

public struct ActivityLine: Sendable, Hashable {
    public var key: ActivityKey
    public var sums: ActivitySums
    /// Index into `Dataset.submissions` of the submission these figures come from (held in 32 bits).
    private var submissionIndex: Int32
    public var submission: Int {
        get { Int(submissionIndex) }
        set { submissionIndex = Int32(newValue) }
    }

    public init(key: ActivityKey, sums: ActivitySums, submission: Int) {
        self.key = key
        self.sums = sums
        self.submissionIndex = Int32(submission)
    }
}

/// One value of a performance measure (`metrics.csv`): a constitutional standard or a local measure
/// for a commissioner, a provider or the whole system.
public struct MetricPoint: Sendable, Equatable {
    public var metricID: String
    public var name: String
    /// A commissioner's or provider's code, or `SYSTEM`.
    public var org: String
    /// `YYYY-MM-DD` (a month is its first day), and the date as written.
    public var date: String
    public var written: String
    public var value: Double
    public var unit: String
    public var target: Double?
    /// Where the row is (its `org_code` cell), when read from a file.
    public var location: SourceLocation?

    public init(
        metricID: String, name: String, org: String, date: String, written: String, value: Double, unit: String,
        target: Double?
    ) {
        self.metricID = metricID
        self.name = name
        self.org = org
        self.date = date
        self.written = written
        self.value = value
        self.unit = unit
        self.target = target
    }
}

/// How a measure is read (`metric_definitions.csv`).
public struct MetricDefinition: Sendable, Equatable {
    public var metricID: String
    /// `up`, `down` or `neither`: which way is better.
    public var direction: String
    /// Dates (`YYYY-MM-DD`) from which the limits are recalculated.
    public var rebase: [String]
    /// Limits from the first this many points of each group (a fixed baseline).
    public var baselinePoints: Int?
    public var annotation: String
    /// The target when `metrics.csv` gives none for the latest period (a standing target, such as
    /// the 95 % four-hour standard).
    public var target: Double?
    /// The one organisation (or `SYSTEM`) this definition is for; nil for every organisation's
    /// series of the measure. An organisation's own definition wins over the measure's.
    public var org: String? = nil
    /// How the values read: `proportion` (0 to 1, shown as percentages), `percent`, `count`, `rate`
    /// or `money`; nil as written, to one decimal place.
    public var scale: String? = nil

    /// The scales `metric_definitions.csv` accepts.
    public static let scales = ["proportion", "percent", "count", "rate", "money"]

    public init(
        metricID: String, direction: String, rebase: [String], baselinePoints: Int?, annotation: String,
        target: Double? = nil
    ) {
        self.metricID = metricID
        self.direction = direction
        self.rebase = rebase
        self.baselinePoints = baselinePoints
        self.annotation = annotation
        self.target = target
    }
}

/// One month's commentary on one subject of a pack (`commentary.csv`): why, what is being done,
/// who owns it and by when.
public struct CommentaryEntry: Sendable, Equatable {
    public enum Subject: String, Sendable, CaseIterable {
        case scheme = "SCHEME"
        case provider = "PROVIDER"
        case budgetLine = "BUDGET_LINE"
        case metric = "METRIC"
        case section = "SECTION"
    }
    /// The pack's organisation (a commissioner), or `SYSTEM` for the system pack.
    public var org: String
    public var subject: Subject
    public var subjectID: String
    public var period: FinancialMonth
    public var author: String
    /// Plain text: paragraphs separated by blank lines, `-` bullet lists.
    public var text: String
    public var reason: String
    public var action: String
    public var actionOwner: String
    /// `YYYY-MM-DD`, or empty.
    public var actionDue: String
    public var location: SourceLocation?

    public init(
        org: String, subject: Subject, subjectID: String, period: FinancialMonth, author: String, text: String,
        reason: String = "", action: String = "", actionOwner: String = "", actionDue: String = "",
        location: SourceLocation? = nil
    ) {
        self.org = org
        self.subject = subject
        self.subjectID = subjectID
        self.period = period
        self.author = author
        self.text = text
        self.reason = reason
        self.action = action
        self.actionOwner = actionOwner
        self.actionDue = actionDue
        self.location = location
    }
}
