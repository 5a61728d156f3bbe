using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace MailIdentity.Dns;

/// <summary>Forward-confirmed reverse DNS: PTR, then each name's A/AAAA, then back to the IP.</summary>
public sealed class ForwardConfirmation
{
    /// <summary>How many PTR names are resolved forward at most.</summary>
    public const int MaxNamesChecked = 10;

    private readonly IDnsResolver _resolver;
    private readonly PtrLookup _ptr;

    public ForwardConfirmation(IDnsResolver resolver)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _ptr = new PtrLookup(resolver);
    }

    /// <summary>Checks <paramref name="address"/>; never throws for DNS failures.</summary>
    public async Task<ForwardConfirmationResult> CheckAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var ptr = await _ptr.LookupAsync(address, cancellationToken).ConfigureAwait(false);
        return await CheckAsync(ptr, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Confirms the names of an existing PTR lookup.</summary>
    public async Task<ForwardConfirmationResult> CheckAsync(PtrLookupResult ptr, CancellationToken cancellationToken)
    {
        if (ptr is null)
        {
            throw new ArgumentNullException(nameof(ptr));
        }

        var type = ptr.IPAddress.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.AAAA : DnsRecordType.A;
        // A hostile reverse zone can return thousands of PTR names; confirming the first few is what MTAs do.
        var lookups = ptr.Hostnames.Take(MaxNamesChecked).Select(name => _resolver.QueryAsync(name, type, cancellationToken)).ToArray();
        var answers = await Task.WhenAll(lookups).ConfigureAwait(false);
        var checks = answers.Select(a => new ForwardNameCheck(a, ptr.IPAddress)).ToArray();
        return new ForwardConfirmationResult(ptr, checks);
    }

    /// <summary>True when <paramref name="text"/> is the same address as <paramref name="address"/>.</summary>
    internal static bool SameAddress(string text, IPAddress address) =>
        IPAddress.TryParse(text, out var parsed) && Normalize(parsed).Equals(Normalize(address));

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

/// <summary>The verdict of a forward-confirmed reverse DNS check.</summary>
public enum ForwardConfirmationStatus
{
    /// <summary>At least one PTR name resolves back to the address.</summary>
    Confirmed,
    /// <summary>There are PTR names, but none resolves back to the address.</summary>
    NotConfirmed,
    /// <summary>The address has no PTR record.</summary>
    NoPtr,
    /// <summary>A lookup failed temporarily: nothing certain can be said (a receiving MTA would answer 4xx).</summary>
    Inconclusive,
}

/// <summary>The forward lookup of one PTR name.</summary>
public sealed class ForwardNameCheck
{
    internal ForwardNameCheck(DnsAnswer answer, IPAddress expected)
    {
        Answer = answer;
        Addresses = answer.Records.Select(r => r.Value).ToArray();
        Matches = answer.HasAddress(expected);
    }

    /// <summary>The PTR name.</summary>
    public string Name => Answer.Question;

    /// <summary>The addresses the name resolves to (A for IPv4, AAAA for IPv6).</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>The status of the forward lookup.</summary>
    public DnsLookupStatus Status => Answer.Status;

    /// <summary>True when one of <see cref="Addresses"/> is the checked IP.</summary>
    public bool Matches { get; }

    /// <summary>CNAMEs followed from the name to its addresses.</summary>
    public IReadOnlyList<string> CnameChain => Answer.CnameChain;

    public DnsAnswer Answer { get; }

    public override string ToString() =>
        $"{Name} -> {(Addresses.Count > 0 ? string.Join(", ", Addresses) : Status.ToString())}{(Matches ? " (match)" : string.Empty)}";
}

/// <summary>The result of Test-ForwardConfirmedRdns for one address.</summary>
public sealed class ForwardConfirmationResult
{
    internal ForwardConfirmationResult(PtrLookupResult ptr, IReadOnlyList<ForwardNameCheck> names)
    {
        Ptr = ptr;
        Names = names;
        ConfirmedNames = names.Where(n => n.Matches).Select(n => n.Name).ToArray();
        Status = Decide(ptr, names, ConfirmedNames.Count);
        Reason = Explain();
    }

    public IPAddress IPAddress => Ptr.IPAddress;

    /// <summary>True when at least one PTR name resolves back to the address.</summary>
    public bool Confirmed => Status == ForwardConfirmationStatus.Confirmed;

    public ForwardConfirmationStatus Status { get; }

    /// <summary>Every PTR name of the address.</summary>
    public IReadOnlyList<string> Hostnames => Ptr.Hostnames;

    /// <summary>The PTR names that resolve back to the address.</summary>
    public IReadOnlyList<string> ConfirmedNames { get; }

    /// <summary>One forward lookup per PTR name.</summary>
    public IReadOnlyList<ForwardNameCheck> Names { get; }

    /// <summary>One line an admin understands, naming the values found.</summary>
    public string Reason { get; }

    /// <summary>The reverse lookup this check started from.</summary>
    public PtrLookupResult Ptr { get; }

    public TimeSpan Duration => Ptr.Duration + (Names.Count == 0 ? TimeSpan.Zero : Names.Max(n => n.Answer.Duration));

    private static ForwardConfirmationStatus Decide(PtrLookupResult ptr, IReadOnlyList<ForwardNameCheck> names, int confirmed)
    {
        if (confirmed > 0)
        {
            return ForwardConfirmationStatus.Confirmed;
        }

        if (ptr.IsTemporaryFailure)
        {
            return ForwardConfirmationStatus.Inconclusive;
        }

        if (ptr.Hostnames.Count == 0)
        {
            return ForwardConfirmationStatus.NoPtr;
        }

        return names.Any(n => n.Status.IsTemporaryFailure())
            ? ForwardConfirmationStatus.Inconclusive
            : ForwardConfirmationStatus.NotConfirmed;
    }

    private string Explain()
    {
        var ip = IPAddress.ToString();
        switch (Status)
        {
            case ForwardConfirmationStatus.Confirmed:
                return ConfirmedNames.Count == 1
                    ? $"{ConfirmedNames[0]} resolves back to {ip}."
                    : $"{string.Join(", ", ConfirmedNames)} resolve back to {ip}.";
            case ForwardConfirmationStatus.NoPtr:
                return Ptr.Status == DnsLookupStatus.NotFound
                    ? $"{ip} has no PTR record ({Ptr.ReverseName} does not exist: NXDOMAIN)."
                    : $"{ip} has no PTR record ({Ptr.ReverseName} exists but holds no PTR).";
            case ForwardConfirmationStatus.Inconclusive when Ptr.IsTemporaryFailure:
                return $"The PTR lookup of {ip} failed temporarily ({Ptr.Status}): {Ptr.ErrorMessage}";
            case ForwardConfirmationStatus.Inconclusive:
                var failed = Names.Where(n => n.Status.IsTemporaryFailure()).Select(n => $"{n.Name} ({n.Status})");
                return $"The forward lookup of {string.Join(", ", failed)} failed temporarily; FCrDNS of {ip} cannot be decided.";
            default:
                return string.Join("; ", Names.Select(n => Describe(n, ip))) + ".";
        }
    }

    private string Describe(ForwardNameCheck check, string ip)
    {
        var type = IPAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A";
        return check.Status switch
        {
            DnsLookupStatus.Found => $"{check.Name} resolves to {string.Join(", ", check.Addresses)}, not {ip}",
            DnsLookupStatus.NotFound => $"{check.Name} does not exist (NXDOMAIN), so it cannot resolve to {ip}",
            DnsLookupStatus.NoData => $"{check.Name} has no {type} record, so it cannot resolve to {ip}",
            _ => $"{check.Name}: {check.Status}",
        };
    }

    public override string ToString() => $"{IPAddress}: {Status} - {Reason}";
}
