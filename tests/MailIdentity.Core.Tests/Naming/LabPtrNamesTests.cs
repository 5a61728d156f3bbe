using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using MailIdentity.Naming;
using Xunit;

namespace MailIdentity.Core.Tests.Naming;

/// <summary>
/// Every PTR name of the lab (tests/lab/lab-hosts.json) is generic exactly when its host expects the
/// generic-PTR warning MI0104, and every lab name has the registrable domain the lab built it under.
/// </summary>
public class LabPtrNamesTests
{
    private const string GenericPtrWarning = "MI0104";

    public static IEnumerable<object[]> PtrNames()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(LabHostsPath()));
        foreach (var host in document.RootElement.GetProperty("hosts").EnumerateArray())
        {
            var id = host.GetProperty("id").GetString()!;
            var ip = host.GetProperty("ip").GetString()!;
            var generic = host.GetProperty("expect").TryGetProperty("warning", out var warnings) &&
                warnings.EnumerateArray().Any(w => w.GetString() == GenericPtrWarning);
            var names = host.GetProperty("ptr").EnumerateArray().Select(p => p.GetString()!)
                .Concat(host.GetProperty("records").EnumerateArray().Select(r => PtrTarget(r.GetString()!)).OfType<string>());
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                yield return new object[] { id, name, ip, generic };
            }
        }

        foreach (var record in document.RootElement.GetProperty("extraRecords").EnumerateArray())
        {
            var target = PtrTarget(record.GetString()!);
            if (target is not null)
            {
                yield return new object[] { "extra", target, string.Empty, false };
            }
        }
    }

    [Theory]
    [MemberData(nameof(PtrNames))]
    public void LabPtrName_IsGenericExactlyWhenTheHostExpectsTheWarning(string id, string name, string ip, bool generic)
    {
        var verdict = GenericPtrClassifier.Classify(name, ip.Length == 0 ? null : IPAddress.Parse(ip));

        Assert.True(generic == verdict.IsGeneric, id + " " + name + ": " + verdict + " | " + string.Join(" | ", verdict.Reasons));
    }

    [Fact]
    public void LabDomains_AreTheirOwnRegistrableDomains()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(LabHostsPath()));
        var count = 0;
        foreach (var host in document.RootElement.GetProperty("hosts").EnumerateArray())
        {
            var domain = host.GetProperty("domain").GetString()!;
            Assert.Equal(domain, PublicSuffixList.RegistrableDomain(domain));
            Assert.Equal(domain, PublicSuffixList.RegistrableDomain("mail." + domain));
            count++;
        }

        Assert.True(count >= 10, "lab hosts: " + count);
    }

    private static string? PtrTarget(string record)
    {
        var parts = record.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 3 && parts[1] == "PTR" ? parts[2] : null;
    }

    private static string LabHostsPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "lab", "lab-hosts.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("tests/lab/lab-hosts.json not found above " + AppContext.BaseDirectory);
    }
}
