using System.Diagnostics;
using System.Globalization;
using System.Net;
using DnsClient;
using MailIdentity.Dns;

// Runs N lookups with a fixed number in flight through one DNS layer and prints wall and CPU time:
//   raw       DnsClient LookupClient.QueryReverseAsync (the floor for anything built on DnsClient)
//   resolver  + DnsClientResolver (hard timeout, CNAME walk, mapping to DnsAnswer)
//   caching   + CachingDnsResolver (what every cmdlet uses)
//   ptr       + PtrLookup (what Get-PtrRecord does per address)
//   fcrdns    ForwardConfirmation over the caching resolver (Test-ForwardConfirmedRdns)
// Usage: CoreLayers <mode> <in-flight> <file of IPv4 addresses> [server ip:port, default 127.0.0.1:53] [cache capacity]
if (args.Length < 3)
{
    Console.Error.WriteLine("Usage: CoreLayers raw|resolver|caching|ptr|fcrdns <in-flight> <ips.txt> [127.0.0.1:53]");
    return 2;
}

var mode = args[0];
var inFlight = int.Parse(args[1], CultureInfo.InvariantCulture);
var ips = File.ReadAllLines(args[2]).Where(l => l.Length > 0).Select(IPAddress.Parse).ToArray();
var server = DnsServerEndpoint.Parse(args.Length > 3 ? args[3] : "127.0.0.1:53");
if (!IPAddress.IsLoopback(server.Address))
{
    Console.Error.WriteLine($"{server} is not a loopback address; the bench talks to its own BIND9 only.");
    return 2;
}

var raw = new LookupClient(new LookupClientOptions(server) { UseCache = false, Timeout = TimeSpan.FromSeconds(2), Retries = 2 });
var resolver = new DnsClientResolver(new DnsResolverOptions { Servers = new[] { server }, Timeout = TimeSpan.FromSeconds(5), Retries = 2 });
var caching = args.Length > 4 ? new CachingDnsResolver(resolver, int.Parse(args[4], CultureInfo.InvariantCulture)) : new CachingDnsResolver(resolver);
var ptr = new PtrLookup(caching);
var fcrdns = new ForwardConfirmation(caching);
using var gate = new SemaphoreSlim(inFlight);
using var process = Process.GetCurrentProcess();
var cpu = process.TotalProcessorTime;
var watch = Stopwatch.StartNew();
var ok = 0;
var tasks = new List<Task>(ips.Length);
foreach (var ip in ips)
{
    await gate.WaitAsync();
    tasks.Add(Task.Run(async () =>
    {
        try
        {
            var good = mode switch
            {
                "raw" => (await raw.QueryReverseAsync(ip)).Answers.Count > 0,
                "resolver" => (await resolver.QueryAsync(ReverseName.For(ip), DnsRecordType.PTR, CancellationToken.None)).Status == DnsLookupStatus.Found,
                "caching" => (await caching.QueryAsync(ReverseName.For(ip), DnsRecordType.PTR, CancellationToken.None)).Status == DnsLookupStatus.Found,
                "ptr" => (await ptr.LookupAsync(ip, CancellationToken.None)).Status == DnsLookupStatus.Found,
                "fcrdns" => (await fcrdns.CheckAsync(ip, CancellationToken.None)).Confirmed,
                _ => throw new ArgumentException($"Unknown mode '{mode}'."),
            };
            if (good)
            {
                Interlocked.Increment(ref ok);
            }
        }
        finally
        {
            gate.Release();
        }
    }));
}

await Task.WhenAll(tasks);
process.Refresh();
var seconds = watch.Elapsed.TotalSeconds;
var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{mode,-8} cache {caching.Capacity,6} in-flight {inFlight,4}  n {ips.Length}  answered {ok}  wall {seconds:0.000} s  cpu {cpuSeconds:0.000} s  ({cpuSeconds * 1e6 / ips.Length:0} us cpu per address)"));
return ok == ips.Length ? 0 : 1;
