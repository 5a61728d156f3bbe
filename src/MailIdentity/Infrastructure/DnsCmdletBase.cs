using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using MailIdentity.Dns;

namespace MailIdentity.Commands.Infrastructure;

/// <summary>The DNS parameters every cmdlet shares, and the resolver built from them.</summary>
public abstract class DnsCmdletBase : OrderedWorkCmdlet
{
    /// <summary>
    /// The DNS servers to ask, as ip, ip:port or [ipv6]:port. Default: the system's configured resolvers.
    /// </summary>
    [Parameter]
    [Alias("NameServer", "DnsServers")]
    [ValidateNotNullOrEmpty]
    public string[]? DnsServer { get; set; }

    /// <summary>The bound on each network operation, in seconds (a DNS lookup with its retries; an SMTP exchange).</summary>
    [Parameter]
    [ValidateRange(1, 300)]
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>How often an unanswered DNS query is sent again.</summary>
    [Parameter]
    [ValidateRange(0, 10)]
    public int DnsRetries { get; set; } = 2;

    /// <summary>How many inputs are checked at once.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = 64;

    /// <summary>
    /// Takes pipeline objects that bind to no other parameter. Without it PowerShell writes its own binding
    /// error for such an object at once, ahead of the earlier rows still being checked; with it the cmdlet
    /// answers with an error of its own, in input order.
    /// </summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    protected override int Throttle => ThrottleLimit;

    /// <summary>The error for an input that carries none of the values the cmdlet needs.</summary>
    protected ErrorRecord NoTargetInInput(string needed)
    {
        var what = InputObject is null ? "No input was given" : $"The input '{Errors.Describe(InputObject)}' has no {needed}";
        return new ErrorRecord(new ArgumentException($"{what}. Give {needed} as a parameter, a pipeline value or a property (CSV column)."),
            "NoTargetInInput", ErrorCategory.InvalidArgument, InputObject?.BaseObject);
    }

    /// <summary>The bound on one DNS lookup; SMTP cmdlets keep it shorter than their -TimeoutSeconds.</summary>
    protected virtual TimeSpan DnsTimeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>The resolver for this run; DNS answers are shared between inputs.</summary>
    protected IDnsResolver Resolver { get; private set; } = null!;

    protected override void BeginProcessing()
    {
        var servers = Array.Empty<IPEndPoint>();
        if (DnsServer is not null)
        {
            servers = new IPEndPoint[DnsServer.Length];
            for (var i = 0; i < DnsServer.Length; i++)
            {
                if (!DnsServerEndpoint.TryParse(DnsServer[i], out var endpoint, out var problem))
                {
                    ThrowTerminatingError(new ErrorRecord(new ArgumentException(problem, nameof(DnsServer)),
                        Errors.InvalidDnsServer, ErrorCategory.InvalidArgument, DnsServer[i]));
                }

                servers[i] = endpoint!;
            }
        }

        var resolver = new DnsClientResolver(new DnsResolverOptions
        {
            Servers = servers,
            Timeout = DnsTimeout,
            Retries = DnsRetries,
        });
        WriteVerbose($"DNS servers: {string.Join(", ", resolver.Servers)}");
        if (resolver.Servers.Count == 0)
        {
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("No DNS server is configured on this machine; name one with -DnsServer."),
                Errors.InvalidDnsServer, ErrorCategory.ResourceUnavailable, null));
        }

        Resolver = new CachingDnsResolver(resolver);
    }
}
