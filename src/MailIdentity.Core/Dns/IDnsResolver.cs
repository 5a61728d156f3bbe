using System.Threading;
using System.Threading.Tasks;

namespace MailIdentity.Dns;

/// <summary>Asks DNS one question. Implementations never throw for DNS failures: they return them as data.</summary>
public interface IDnsResolver
{
    /// <summary>
    /// Looks up <paramref name="name"/> for <paramref name="type"/> (PTR, A, AAAA, MX), following CNAMEs.
    /// Throws only <see cref="System.OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken);
}

/// <summary>The record types the checks ask for.</summary>
public enum DnsRecordType
{
    A,
    AAAA,
    PTR,
    MX,
}
