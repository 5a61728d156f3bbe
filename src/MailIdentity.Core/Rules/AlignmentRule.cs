namespace MailIdentity.Rules;

/// <summary>One alignment rule: a stable id, what it checks, and how bad a failure is by default.</summary>
public sealed class AlignmentRule
{
    internal AlignmentRule(string id, string name, Severity defaultSeverity, string description, string remediation, string appliesWhen)
    {
        Id = id;
        Name = name;
        DefaultSeverity = defaultSeverity;
        Description = description;
        Remediation = remediation;
        AppliesWhen = appliesWhen;
    }

    /// <summary>The stable id, e.g. MI0203. Use it with -ExcludeRule.</summary>
    public string Id { get; }

    /// <summary>A short name, e.g. BannerMatchesPtr.</summary>
    public string Name { get; }

    /// <summary>The severity when the rule does not hold.</summary>
    public Severity DefaultSeverity { get; }

    /// <summary>What the rule checks and why receivers care.</summary>
    public string Description { get; }

    /// <summary>The general remediation; findings carry a concrete one built from the evidence.</summary>
    public string Remediation { get; }

    /// <summary>When the rule is evaluated (e.g. only with -Domain).</summary>
    public string AppliesWhen { get; }

    public override string ToString() => $"{Id} {Name}";
}
