using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace MailIdentity.Naming;

/// <summary>
/// Whether a PTR name looks like a generic, provider-assigned or dynamic name (such as
/// <c>203-0-113-5.dyn.pool.isp.example</c> or <c>ec2-203-0-113-5.compute-1.amazonaws.com</c>)
/// rather than a name a mail server's operator chose. Produced by <see cref="GenericPtrClassifier"/>.
/// </summary>
public sealed class GenericPtrVerdict
{
    internal GenericPtrVerdict(int score, IList<string> reasons, string? cloudProvider, string? rdnsAdvice)
    {
        Score = Math.Max(0, Math.Min(100, score));
        IsGeneric = Score >= GenericPtrClassifier.Threshold;
        Reasons = new ReadOnlyCollection<string>(reasons);
        CloudProvider = cloudProvider;
        RdnsAdvice = IsGeneric ? rdnsAdvice : null;
    }

    /// <summary>True when <see cref="Score"/> reaches <see cref="GenericPtrClassifier.Threshold"/>.</summary>
    public bool IsGeneric { get; }

    /// <summary>Weight of the evidence, 0 (a chosen name) to 100 (certainly generic).</summary>
    public int Score { get; }

    /// <summary>The evidence, one sentence each, e.g. "the name contains the IP address 203.0.113.5 (203-0-113-5)".</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>The cloud or hosting provider whose default name this is (e.g. "Amazon EC2"), or null.</summary>
    public string? CloudProvider { get; }

    /// <summary>How the address holder can get a proper PTR (provider-specific when known); null when not generic.</summary>
    public string? RdnsAdvice { get; }

    /// <summary>A one-line summary, e.g. "generic (score 100, Amazon EC2)".</summary>
    public override string ToString() =>
        (IsGeneric ? "generic" : "not generic") + " (score " + Score.ToString(System.Globalization.CultureInfo.InvariantCulture) +
        (CloudProvider is null ? string.Empty : ", " + CloudProvider) + ")";
}
