using System;
using System.Collections.Generic;
using System.Linq;

namespace MailIdentity.Dns;

/// <summary>The answer to one DNS question, CNAME chain followed, as data (never an exception).</summary>
public sealed class DnsAnswer
{
    public DnsAnswer(string question, string type, DnsLookupStatus status, IReadOnlyList<DnsRecordData> records,
        IReadOnlyList<string> cnameChain, string? server, TimeSpan duration, string? errorMessage)
    {
        Question = question;
        Type = type;
        Status = status;
        Records = records;
        CnameChain = cnameChain;
        Server = server;
        Duration = duration;
        ErrorMessage = errorMessage;
    }

    /// <summary>The name asked for, normalised.</summary>
    public string Question { get; }

    /// <summary>The record type asked for.</summary>
    public string Type { get; }

    public DnsLookupStatus Status { get; }

    /// <summary>The records of the asked type at the end of the CNAME chain.</summary>
    public IReadOnlyList<DnsRecordData> Records { get; }

    /// <summary>The CNAME targets followed from the question to the records (empty when none).</summary>
    public IReadOnlyList<string> CnameChain { get; }

    /// <summary>The server that gave the final answer, as ip:port.</summary>
    public string? Server { get; }

    public TimeSpan Duration { get; }

    /// <summary>What went wrong, in words, when the status is not Found/NotFound/NoData.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The record values (host names or addresses).</summary>
    public IReadOnlyList<string> Values => Records.Select(r => r.Value).ToArray();

    /// <summary>The smallest TTL among the records, or null when there are none.</summary>
    public int? MinimumTimeToLive => Records.Count == 0 ? null : Records.Min(r => r.TimeToLive);

    /// <summary>True when one of the address records (A/AAAA) is <paramref name="address"/>.</summary>
    public bool HasAddress(System.Net.IPAddress address) => Records.Any(r => ForwardConfirmation.SameAddress(r.Value, address));

    public override string ToString() =>
        $"{Question} {Type}: {Status}{(Records.Count > 0 ? " " + string.Join(", ", Values) : string.Empty)}{(Server is null ? string.Empty : " (" + Server + ")")}";

    public static DnsAnswer Failed(string question, string type, DnsLookupStatus status, string? server, TimeSpan duration, string message) =>
        new(question, type, status, Array.Empty<DnsRecordData>(), Array.Empty<string>(), server, duration, message);
}
