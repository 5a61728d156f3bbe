namespace MailIdentity.Dns;

/// <summary>The outcome of one DNS question, in the words an admin uses.</summary>
public enum DnsLookupStatus
{
    /// <summary>The server answered with records of the asked type.</summary>
    Found,
    /// <summary>NXDOMAIN: the name does not exist.</summary>
    NotFound,
    /// <summary>The name exists but has no records of the asked type.</summary>
    NoData,
    /// <summary>SERVFAIL: the server could not answer (temporary).</summary>
    ServerFailure,
    /// <summary>REFUSED: the server will not answer this question.</summary>
    Refused,
    /// <summary>No answer within the timeout.</summary>
    Timeout,
    /// <summary>Any other failure: a malformed answer, a CNAME loop, a network error.</summary>
    Error,
}

/// <summary>Helpers over <see cref="DnsLookupStatus"/>.</summary>
public static class DnsLookupStatusExtensions
{
    /// <summary>
    /// True when the answer says nothing certain about the data: a receiving MTA would defer (4xx)
    /// rather than reject, so a check built on it is Inconclusive, never failed.
    /// </summary>
    public static bool IsTemporaryFailure(this DnsLookupStatus status) =>
        status is DnsLookupStatus.ServerFailure or DnsLookupStatus.Refused
            or DnsLookupStatus.Timeout or DnsLookupStatus.Error;

    /// <summary>True for a definite answer that the data is absent.</summary>
    public static bool IsAbsent(this DnsLookupStatus status) =>
        status is DnsLookupStatus.NotFound or DnsLookupStatus.NoData;
}
