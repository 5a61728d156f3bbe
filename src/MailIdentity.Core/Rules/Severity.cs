namespace MailIdentity.Rules;

/// <summary>
/// How bad a finding is. Declared from best to worst so the report's status is the maximum:
/// a definite Fail outranks an Inconclusive, which outranks a Warning.
/// </summary>
public enum Severity
{
    /// <summary>The check holds.</summary>
    Pass,
    /// <summary>Worth knowing; no receiver penalises it on its own.</summary>
    Info,
    /// <summary>Some receivers or filters score it; fix when you can.</summary>
    Warning,
    /// <summary>A lookup or connection failed temporarily: nothing certain can be said.</summary>
    Inconclusive,
    /// <summary>Receivers reject or spam-folder mail for this.</summary>
    Fail,
}
