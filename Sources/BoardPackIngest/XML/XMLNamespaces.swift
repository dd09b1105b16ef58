/// The XML vocabularies BoardPack reads. Schemas are in `schemas/`.
public enum XMLNamespaces {
    public static let contractMonitoring = "urn:boardpack:contract-monitoring:1"
    public static let qipp = "urn:boardpack:qipp:1"
}
