using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using MailIdentity.Dns;
using MailIdentity.FaultDns;
using Xunit;

namespace MailIdentity.Core.Tests.Dns;

/// <summary>
/// Every host of tests/lab/lab-hosts.json, served by the fault server instead of BIND9: the PTR status and
/// the FCrDNS verdict the lab expects must come out of the core alone. CNAMEs are answered one hop at a
/// time, as when the RFC 2317 zone lives on another server.
/// </summary>
public sealed class LabScenarioTests
{
    public static IEnumerable<object[]> Hosts()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(LabHostsPath()));
        foreach (var host in document.RootElement.GetProperty("hosts").EnumerateArray())
        {
            var expect = host.GetProperty("expect");
            yield return new object[]
            {
                host.GetProperty("id").GetString()!,
                host.GetProperty("ip").GetString()!,
                expect.GetProperty("ptrStatus").GetString()!,
                expect.GetProperty("fcrdns").GetString()!,
            };
        }
    }

    [Theory]
    [MemberData(nameof(Hosts))]
    public async Task Lab_host_gets_the_expected_ptr_status_and_fcrdns_verdict(string id, string ip, string ptrStatus, string fcrdns)
    {
        var zone = new List<string>();
        var faults = new List<string>();
        LabHosts.Read(LabHostsPath(), zone, faults);
        faults.AddRange(zone.Where(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].Equals("CNAME", StringComparison.OrdinalIgnoreCase))
            .Select(line => line.Split(' ')[0] + "=cname-only"));
        await using var server = await FaultDnsServer.StartAsync(IPAddress.Loopback, 0, zone, faults);
        var check = new ForwardConfirmation(FaultServer.Resolver(server, TimeSpan.FromSeconds(4)));

        var result = await check.CheckAsync(IPAddress.Parse(ip), FaultServer.Guard());

        Assert.True(Enum.Parse<DnsLookupStatus>(ptrStatus) == result.Ptr.Status, $"{id}: PTR {result.Ptr.Status}, expected {ptrStatus}");
        Assert.True(Enum.Parse<ForwardConfirmationStatus>(fcrdns) == result.Status, $"{id}: FCrDNS {result.Status}, expected {fcrdns}: {result.Reason}");
    }

    private static string LabHostsPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "lab", "lab-hosts.json");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("tests/lab/lab-hosts.json was not found above " + AppContext.BaseDirectory);
    }
}
