using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using MailIdentity.Text;

namespace MailIdentity.Dns;

/// <summary><see cref="IDnsResolver"/> over DnsClient.NET, with a hard bound on each lookup.</summary>
public sealed class DnsClientResolver : IDnsResolver
{
    private const int MaxCnameHops = 8;
    private readonly LookupClient _client;
    private readonly TimeSpan _timeout;

    public DnsClientResolver(DnsResolverOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        _timeout = options.Timeout;
        // DnsClient tries each server in turn, each with all its retries: the bound is shared by every
        // attempt on every server, or a dead first server would use it all and the second never be asked.
        var attempts = Math.Max(1, options.Retries + 1) * Math.Max(1, options.Servers.Count);
        var perAttempt = TimeSpan.FromMilliseconds(Math.Max(200, options.Timeout.TotalMilliseconds / attempts));
        var lookupOptions = options.Servers.Count > 0
            ? new LookupClientOptions(options.Servers.ToArray())
            : new LookupClientOptions();
        lookupOptions.UseCache = false;
        lookupOptions.Timeout = perAttempt;
        lookupOptions.Retries = Math.Max(0, options.Retries);
        lookupOptions.UseTcpFallback = options.UseTcpFallback;
        lookupOptions.ThrowDnsErrors = false;
        lookupOptions.ContinueOnDnsError = true;
        lookupOptions.ContinueOnEmptyResponse = false;
        lookupOptions.UseRandomNameServer = false;
        lookupOptions.EnableAuditTrail = false;
        _client = new LookupClient(lookupOptions);
        Servers = _client.NameServers.Select(s => DnsServerEndpoint.Format(new IPEndPoint(IPAddress.Parse(s.Address), s.Port))).ToArray();
    }

    /// <summary>The servers this resolver asks, as ip:port.</summary>
    public IReadOnlyList<string> Servers { get; }

    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var question = HostName.Normalize(name);
        var typeName = type.ToString();
        var watch = Stopwatch.StartNew();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(_timeout);
        var chain = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { question };
        var current = question;
        string? server = null;
        try
        {
            for (var hop = 0; hop <= MaxCnameHops; hop++)
            {
                var response = await QueryOnceAsync(current, ToQueryType(type), bound.Token).ConfigureAwait(false);
                server = response.NameServer is { } ns ? DnsServerEndpoint.Format(new IPEndPoint(IPAddress.Parse(ns.Address), ns.Port)) : server;
                var code = response.Header.ResponseCode;
                if (code != DnsHeaderResponseCode.NoError)
                {
                    var status = code switch
                    {
                        DnsHeaderResponseCode.NotExistentDomain => DnsLookupStatus.NotFound,
                        DnsHeaderResponseCode.ServerFailure => DnsLookupStatus.ServerFailure,
                        DnsHeaderResponseCode.Refused => DnsLookupStatus.Refused,
                        _ => DnsLookupStatus.Error,
                    };
                    var message = status == DnsLookupStatus.NotFound
                        ? null
                        : $"The DNS server {server} answered {code} for {current} {typeName}.";
                    return new DnsAnswer(question, typeName, status, Array.Empty<DnsRecordData>(), chain.ToArray(), server, watch.Elapsed, message);
                }

                // Walk the CNAME chain inside this answer as far as it goes.
                var answers = response.Answers;
                var advanced = false;
                while (true)
                {
                    var records = answers.Where(r => r.RecordType == ToResourceType(type) && HostName.Normalize(r.DomainName.Value) == current)
                        .Select(ToData).ToArray();
                    if (records.Length > 0)
                    {
                        return new DnsAnswer(question, typeName, DnsLookupStatus.Found, records, chain.ToArray(), server, watch.Elapsed, null);
                    }

                    var cname = answers.OfType<CNameRecord>().FirstOrDefault(r => HostName.Normalize(r.DomainName.Value) == current);
                    if (cname is null)
                    {
                        break;
                    }

                    current = HostName.Normalize(cname.CanonicalName.Value);
                    chain.Add(current);
                    advanced = true;
                    if (!seen.Add(current))
                    {
                        return Loop(question, typeName, chain, server, watch.Elapsed);
                    }
                }

                if (!advanced)
                {
                    // No records and no CNAME to chase: the name exists without this type.
                    return new DnsAnswer(question, typeName, DnsLookupStatus.NoData, Array.Empty<DnsRecordData>(), chain.ToArray(), server, watch.Elapsed, null);
                }

                // The answer ended on a CNAME target this server did not chase (another zone): ask for it.
            }

            return Loop(question, typeName, chain, server, watch.Elapsed);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // DnsClient reports the caller's cancellation as a ConnectionTimeout; the caller stopped, the server did not fail.
            throw new OperationCanceledException($"The lookup of {current} {typeName} was cancelled.", ex, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DnsAnswer.Failed(question, typeName, DnsLookupStatus.Timeout, server ?? (Servers.Count > 0 ? Servers[0] : null), watch.Elapsed,
                $"No answer for {current} {typeName} from {string.Join(", ", Servers)} within {_timeout.TotalSeconds:0.#} s.");
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
        {
            return DnsAnswer.Failed(question, typeName, DnsLookupStatus.Timeout, server ?? (Servers.Count > 0 ? Servers[0] : null), watch.Elapsed,
                $"No answer for {current} {typeName} from {string.Join(", ", Servers)} within {_timeout.TotalSeconds:0.#} s.");
        }
        catch (DnsXidMismatchException)
        {
            // DnsClient throws this outside its DnsResponseException family; it must come back as data too.
            return DnsAnswer.Failed(question, typeName, DnsLookupStatus.Error, server ?? (Servers.Count > 0 ? Servers[0] : null), watch.Elapsed,
                $"The lookup of {current} {typeName} failed: the DNS server answered with a different transaction ID (a confused or spoofed reply).");
        }
        catch (Exception ex) when (ex is DnsResponseException or DnsResponseParseException or System.Net.Sockets.SocketException or ArgumentException or InvalidOperationException or System.IO.IOException)
        {
            return DnsAnswer.Failed(question, typeName, DnsLookupStatus.Error, server ?? (Servers.Count > 0 ? Servers[0] : null), watch.Elapsed,
                $"The lookup of {current} {typeName} failed: {ex.Message}");
        }
    }

    private async Task<IDnsQueryResponse> QueryOnceAsync(string name, QueryType type, CancellationToken token)
    {
        // DnsClient honours the token only between attempts on some paths; the race makes the bound hard.
        var query = _client.QueryAsync(name, type, QueryClass.IN, token);
        var delay = Task.Delay(Timeout.Infinite, token);
        var first = await Task.WhenAny(query, delay).ConfigureAwait(false);
        if (first != query)
        {
            _ = query.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            token.ThrowIfCancellationRequested();
        }

        return await query.ConfigureAwait(false);
    }

    private static DnsAnswer Loop(string question, string type, List<string> chain, string? server, TimeSpan elapsed) =>
        new(question, type, DnsLookupStatus.Error, Array.Empty<DnsRecordData>(), chain.ToArray(), server, elapsed,
            $"The CNAME chain from {question} loops or is longer than {MaxCnameHops} hops: {string.Join(" -> ", chain)}.");

    private static DnsRecordData ToData(DnsResourceRecord record)
    {
        var owner = HostName.Normalize(record.DomainName.Value);
        return record switch
        {
            PtrRecord ptr => new DnsRecordData(owner, "PTR", HostName.Normalize(ptr.PtrDomainName.Value), record.InitialTimeToLive),
            ARecord a => new DnsRecordData(owner, "A", a.Address.ToString(), record.InitialTimeToLive),
            AaaaRecord aaaa => new DnsRecordData(owner, "AAAA", aaaa.Address.ToString(), record.InitialTimeToLive),
            MxRecord mx => new DnsRecordData(owner, "MX", HostName.Normalize(mx.Exchange.Value), record.InitialTimeToLive) { Preference = mx.Preference },
            _ => new DnsRecordData(owner, record.RecordType.ToString(), record.ToString(), record.InitialTimeToLive),
        };
    }

    private static QueryType ToQueryType(DnsRecordType type) => type switch
    {
        DnsRecordType.A => QueryType.A,
        DnsRecordType.AAAA => QueryType.AAAA,
        DnsRecordType.PTR => QueryType.PTR,
        DnsRecordType.MX => QueryType.MX,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static ResourceRecordType ToResourceType(DnsRecordType type) => type switch
    {
        DnsRecordType.A => ResourceRecordType.A,
        DnsRecordType.AAAA => ResourceRecordType.AAAA,
        DnsRecordType.PTR => ResourceRecordType.PTR,
        DnsRecordType.MX => ResourceRecordType.MX,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
