namespace MailIdentity.Rules;

/// <summary>The outcome of one rule for one address.</summary>
public sealed class Finding
{
    internal Finding(AlignmentRule rule, Severity severity, string message, string evidence, string? remediation)
    {
        Rule = rule;
        Severity = severity;
        Message = message;
        Evidence = evidence;
        Remediation = severity is Severity.Pass ? null : remediation;
    }

    public string RuleId => Rule.Id;

    public string RuleName => Rule.Name;

    public Severity Severity { get; }

    /// <summary>What was found, naming the actual values.</summary>
    public string Message { get; }

    /// <summary>The raw facts the verdict rests on.</summary>
    public string Evidence { get; }

    /// <summary>What to do, in the detected server software's terms, with the exact names; null on Pass.</summary>
    public string? Remediation { get; }

    internal AlignmentRule Rule { get; }

    public override string ToString() => $"[{Severity}] {RuleId} {RuleName}: {Message}";
}
