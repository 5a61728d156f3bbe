using System;
using System.Linq;
using System.Net;
using MailIdentity.Naming;
using Xunit;

namespace MailIdentity.Core.Tests.Naming;

public class GenericPtrClassifierTests
{
    // Real-world shaped PTR names (the providers' and ISPs' naming schemes, with documentation addresses),
    // with the address they are the PTR of ("" = address unknown).
    [Theory]
    // The lab's cases: TLDs renamed to .example.
    [InlineData("ec2-127-0-1-7.compute-1.amazonaws.example", "127.0.1.7", "Amazon EC2")]
    [InlineData("127-0-2-2.dyn.pool.isp.example", "127.0.2.2", null)]
    [InlineData("127-0-2-2.dyn.pool.isp.example", "", null)]
    // Cloud providers' defaults.
    [InlineData("ec2-203-0-113-5.compute-1.amazonaws.com", "203.0.113.5", "Amazon EC2")]
    [InlineData("ec2-203-0-113-5.eu-west-1.compute.amazonaws.com", "203.0.113.5", "Amazon EC2")]
    [InlineData("ec2-203-0-113-5.cn-north-1.compute.amazonaws.com.cn", "", "Amazon EC2")]
    [InlineData("ip-10-0-1-23.ec2.internal", "10.0.1.23", "Amazon EC2")]
    [InlineData("ip-10-0-1-23.eu-west-1.compute.internal", "", "Amazon EC2")]
    [InlineData("5.113.0.203.bc.googleusercontent.com", "203.0.113.5", "Google Cloud")]
    [InlineData("myvm.westeurope.cloudapp.azure.com", "", "Microsoft Azure")]
    [InlineData("myservice.cloudapp.net", "", "Microsoft Azure")]
    [InlineData("ubuntu-s-1vcpu-1gb-fra1-01", "203.0.113.5", "DigitalOcean")]
    [InlineData("li123-45.members.linode.com", "198.51.100.45", "Linode/Akamai")]
    [InlineData("198-51-100-45.ip.linodeusercontent.com", "198.51.100.45", "Linode/Akamai")]
    [InlineData("ip-203-0-113-5.eu", "203.0.113.5", "OVHcloud")]
    [InlineData("ns3012345.ip-203-0-113.eu", "203.0.113.5", "OVHcloud")]
    [InlineData("vps-1a2b3c4d.vps.ovh.net", "", "OVHcloud")]
    [InlineData("static.5.113.0.203.clients.your-server.de", "203.0.113.5", "Hetzner")]
    [InlineData("203.0.113.5.vultrusercontent.com", "203.0.113.5", "Vultr")]
    [InlineData("203.0.113.5.vultr.com", "", "Vultr")]
    [InlineData("instance-1.subnet.vcn.oraclevcn.com", "", "Oracle Cloud")]
    [InlineData("vmi123456.contaboserver.net", "", "Contabo")]
    // Access networks: cable, DSL, fibre, mobile, dial-up.
    [InlineData("c-73-162-1-2.hsd1.ca.comcast.net", "73.162.1.2", null)]
    [InlineData("c-73-162-1-2.hsd1.ca.comcast.net", "", null)]
    [InlineData("cpe-198-51-100-7.nyc.res.rr.com", "198.51.100.7", null)]
    [InlineData("pool-71-1-2-3.nycmny.fios.verizon.net", "71.1.2.3", null)]
    [InlineData("p5b0c1234.dip0.t-ipconnect.de", "91.12.18.52", null)]
    [InlineData("p5b0c1234.dip0.t-ipconnect.de", "", null)]
    [InlineData("host-203-0-113-5.static.isp.example", "", null)]
    [InlineData("dsl-203-0-113-5.isp.example", "203.0.113.5", null)]
    [InlineData("203.0.113.5.static.isp.example", "203.0.113.5", null)]
    [InlineData("203-000-113-005.ip.isp.example", "203.0.113.5", null)]
    [InlineData("203000113005.isp.example", "203.0.113.5", null)]
    [InlineData("cb007105.dsl.isp.example", "203.0.113.5", null)]
    [InlineData("3405803781.cust.isp.example", "203.0.113.5", null)]
    [InlineData("113-5.adsl.isp.example", "203.0.113.5", null)]
    [InlineData("5.113.pool.isp.example", "203.0.113.5", null)]
    [InlineData("ppp-0-113-5.dialup.isp.example", "203.0.113.5", null)]
    [InlineData("dynamic-ip-adsl.isp.example", "", null)]
    [InlineData("user123456.cable.isp.example", "", null)]
    [InlineData("static-ip-203-0-113-5.isp.example", "", null)]
    [InlineData("203.0.113.5", "203.0.113.5", null)]
    [InlineData("203.0.113.5.", "", null)]
    [InlineData("5.113.0.203.in-addr.arpa", "203.0.113.5", null)]
    [InlineData("2001-db8-0-0-0-0-0-5.dyn.isp.example", "2001:db8::5", null)]
    [InlineData("20010db8000000000000000000000005.isp.example", "2001:db8::5", null)]
    [InlineData("host-1a2b-3c4d-5e6f-7a8b.pool.isp.example", "2001:db8:1:2:1a2b:3c4d:5e6f:7a8b", null)]
    public void GenericNames_AreGeneric(string name, string address, string? provider)
    {
        var verdict = GenericPtrClassifier.Classify(name, address.Length == 0 ? null : IPAddress.Parse(address));

        Assert.True(verdict.IsGeneric, name + ": " + verdict + " | " + string.Join(" | ", verdict.Reasons));
        Assert.InRange(verdict.Score, GenericPtrClassifier.Threshold, 100);
        Assert.NotEmpty(verdict.Reasons);
        Assert.Equal(provider, verdict.CloudProvider);
        Assert.False(string.IsNullOrWhiteSpace(verdict.RdnsAdvice));
        if (provider is null)
        {
            Assert.Equal(GenericPtrClassifier.IspAdvice, verdict.RdnsAdvice);
        }
        else
        {
            Assert.NotEqual(GenericPtrClassifier.IspAdvice, verdict.RdnsAdvice);
        }
    }

    [Theory]
    [InlineData("mail.example.com", "203.0.113.5")]
    [InlineData("mx1.example.org", "203.0.113.1")]
    [InlineData("smtp.example.net", "")]
    [InlineData("mail2.example.co.uk", "203.0.113.2")]
    [InlineData("server1.hosting.example", "127.0.0.12")]
    [InlineData("mail.c01.example", "127.0.0.11")]
    [InlineData("old-name.c04.example", "127.0.0.14")]
    [InlineData("mail-db5eur03on2101.outbound.protection.outlook.com", "40.107.21.101")]
    [InlineData("sn1nam02ft0049.mail.protection.outlook.example", "")]
    [InlineData("mail-sor-f41.google.com", "209.85.220.41")]
    [InlineData("a8-30.smtp-out.amazonses.com", "54.240.8.30")]
    [InlineData("o1.ptr1234.sendgrid.net", "")]
    [InlineData("mta-01.example.com", "203.0.113.1")]
    [InlineData("mta-01.example.com", "")]
    [InlineData("box.example.com", "203.0.113.5")]
    [InlineData("mail7i.example.net", "")]
    [InlineData("mx.dsl-provider.example", "")]
    [InlineData("mail.dsl.isp.example", "")]
    [InlineData("host1.example.com", "")]
    [InlineData("static.example.com", "")]
    [InlineData("mail.203-0-113-5.example", "203.0.113.5")]
    [InlineData("www.amazonaws.com", "")]
    [InlineData("mail.2024.example.com", "")]
    [InlineData("mail6.doc.example", "2001:db8::5")]
    [InlineData("WIN-SRV01", "")]
    [InlineData("deadbeef.example.com", "")]
    [InlineData("cafe1234.example.com", "203.0.113.5")]
    [InlineData("localhost", "127.0.0.1")]
    public void ChosenNames_AreNotGeneric(string name, string address)
    {
        var verdict = GenericPtrClassifier.Classify(name, address.Length == 0 ? null : IPAddress.Parse(address));

        Assert.False(verdict.IsGeneric, name + ": " + verdict + " | " + string.Join(" | ", verdict.Reasons));
        Assert.InRange(verdict.Score, 0, GenericPtrClassifier.Threshold - 1);
        Assert.Null(verdict.CloudProvider);
        Assert.Null(verdict.RdnsAdvice);
    }

    [Fact]
    public void Reasons_NameTheEvidence()
    {
        var verdict = GenericPtrClassifier.Classify("ec2-203-0-113-5.compute-1.amazonaws.com", IPAddress.Parse("203.0.113.5"));

        Assert.Equal(100, verdict.Score);
        Assert.Contains("the name contains the IP address 203.0.113.5 (203-0-113-5)", verdict.Reasons);
        Assert.Contains(verdict.Reasons, r => r.Contains("Amazon EC2", StringComparison.Ordinal));
        Assert.Contains("Elastic IP", verdict.RdnsAdvice, StringComparison.Ordinal);
    }

    [Fact]
    public void Reasons_ExplainKeywordsAndReversedAddresses()
    {
        var verdict = GenericPtrClassifier.Classify("5.113.0.203.dyn.pool.isp.example.", IPAddress.Parse("203.0.113.5"));

        Assert.True(verdict.IsGeneric);
        Assert.Contains("the name contains the IP address 203.0.113.5 in reverse order (5.113.0.203)", verdict.Reasons);
        Assert.Contains(verdict.Reasons, r => r.Contains("'dyn'", StringComparison.Ordinal));
        Assert.Contains(verdict.Reasons, r => r.Contains("'pool'", StringComparison.Ordinal));
    }

    [Fact]
    public void AddressInTheRegistrableDomainOnly_CountsLess()
    {
        var address = IPAddress.Parse("203.0.113.5");
        var inHost = GenericPtrClassifier.Classify("203-0-113-5.isp.example", address);
        var inDomain = GenericPtrClassifier.Classify("www.203-0-113-5.example", address);

        Assert.True(inHost.IsGeneric);
        Assert.False(inDomain.IsGeneric);
        Assert.True(inDomain.Score > 0 && inDomain.Score < inHost.Score, inDomain + " vs " + inHost);
        Assert.Contains(inDomain.Reasons, r => r.Contains("registrable domain only", StringComparison.Ordinal));
    }

    [Fact]
    public void AddressLikeNumbersOfAnotherAddress_StillCount()
    {
        var verdict = GenericPtrClassifier.Classify("host-198-51-100-9.pool.isp.example", IPAddress.Parse("203.0.113.5"));

        Assert.True(verdict.IsGeneric);
        Assert.Contains(verdict.Reasons, r => r.Contains("(198-51-100-9), not 203.0.113.5", StringComparison.Ordinal));
    }

    [Fact]
    public void NumbersAboveAnOctet_AreNotAnAddress()
    {
        var verdict = GenericPtrClassifier.Classify("mx-300-1-2-3.example.com", null);

        Assert.DoesNotContain(verdict.Reasons, r => r.Contains("IP-address-like", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ec2-203-0-113-5.cn-north-1.compute.amazonaws.com.cn", "(203-0-113-5)")]
    [InlineData("dsl203-0-113-5.isp.example", "(203-0-113-5)")]
    [InlineData("a1-300-1-2-3-4.isp.example", "(1-2-3-4)")]
    public void AddressLikeSequence_IsReadWhereItReallyIs(string name, string expected)
    {
        var verdict = GenericPtrClassifier.Classify(name, null);

        Assert.True(verdict.IsGeneric, string.Join(" | ", verdict.Reasons));
        Assert.Contains(verdict.Reasons, r => r.Contains("IP-address-like number sequence " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryProvider_HasItsOwnAdvice()
    {
        var names = new[]
        {
            "ec2-203-0-113-5.compute-1.amazonaws.com", "5.113.0.203.bc.googleusercontent.com", "vm.westeurope.cloudapp.azure.com",
            "ubuntu-s-1vcpu-1gb-fra1-01", "li1-5.members.linode.com", "ip-203-0-113-5.eu", "static.5.113.0.203.clients.your-server.de",
            "x.vultrusercontent.com", "x.oraclevcn.com", "vmi1.contaboserver.net",
        };
        var verdicts = names.Select(n => GenericPtrClassifier.Classify(n, null)).ToList();

        Assert.All(verdicts, v => Assert.NotNull(v.CloudProvider));
        Assert.Equal(names.Length, verdicts.Select(v => v.CloudProvider).Distinct().Count());
        Assert.Equal(names.Length, verdicts.Select(v => v.RdnsAdvice).Distinct().Count());
        Assert.All(verdicts, v => Assert.NotEqual(GenericPtrClassifier.IspAdvice, v.RdnsAdvice));
    }

    [Theory]
    [InlineData("email-smtp.us-east-1.amazonaws.com")]
    [InlineData("s3.amazonaws.com")]
    [InlineData("compute.amazonaws.com")]
    [InlineData("mail.linode.com")]
    [InlineData("www.ovh.net")]
    [InlineData("your-server.de")]
    public void ProviderDomains_WithoutTheDefaultShape_AreNotProviderDefaults(string name)
    {
        var verdict = GenericPtrClassifier.Classify(name, null);

        Assert.Null(verdict.CloudProvider);
        Assert.False(verdict.IsGeneric, string.Join(" | ", verdict.Reasons));
    }

    [Fact]
    public void StaticAlone_IsWeak()
    {
        var verdict = GenericPtrClassifier.Classify("static.isp.example", null);

        Assert.False(verdict.IsGeneric);
        Assert.Equal(5, verdict.Score);
    }

    [Fact]
    public void IPv4MappedAddress_IsTreatedAsIPv4()
    {
        var verdict = GenericPtrClassifier.Classify("203-0-113-5.isp.example", IPAddress.Parse("::ffff:203.0.113.5"));

        Assert.Contains("the name contains the IP address 203.0.113.5 (203-0-113-5)", verdict.Reasons);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a name")]
    [InlineData("a..b")]
    public void BlankOrMalformed_IsNotGenericAndHasNoReasons(string? name)
    {
        var verdict = GenericPtrClassifier.Classify(name, IPAddress.Parse("203.0.113.5"));

        Assert.False(verdict.IsGeneric);
        Assert.Equal(0, verdict.Score);
        Assert.Empty(verdict.Reasons);
        Assert.Null(verdict.RdnsAdvice);
    }

    [Fact]
    public void NeverThrows_OnRandomStrings()
    {
        var random = new Random(4242);
        const string alphabet = "abcdynpol0123456789.-_ :[]\u00e9\u4e2d\u0000";
        var addresses = new[] { null, IPAddress.Parse("1.2.3.4"), IPAddress.Parse("0.0.0.0"), IPAddress.Parse("2001:db8::1"), IPAddress.IPv6Any };
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(0, 70)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var verdict = GenericPtrClassifier.Classify(new string(chars), addresses[random.Next(addresses.Length)]);
            Assert.InRange(verdict.Score, 0, 100);
            Assert.Equal(verdict.Score >= GenericPtrClassifier.Threshold, verdict.IsGeneric);
            Assert.All(verdict.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r)));
        }

        Assert.False(GenericPtrClassifier.Classify(new string('a', 5000), null).IsGeneric);
    }

    [Fact]
    public void ToString_SummarisesTheVerdict()
    {
        Assert.Equal("generic (score 100, Amazon EC2)",
            GenericPtrClassifier.Classify("ec2-127-0-1-7.compute-1.amazonaws.example", IPAddress.Parse("127.0.1.7")).ToString());
        Assert.Equal("not generic (score 0)", GenericPtrClassifier.Classify("mail.example.com", null).ToString());
    }

    [Fact]
    public void Reasons_AreReadOnly()
    {
        var verdict = GenericPtrClassifier.Classify("127-0-2-2.dyn.pool.isp.example", null);
        Assert.True(verdict.Reasons.Count >= 3);
        Assert.Throws<NotSupportedException>(() => ((System.Collections.Generic.IList<string>)verdict.Reasons).Add("x"));
        Assert.Equal(verdict.Reasons.Count, verdict.Reasons.Distinct(StringComparer.Ordinal).Count());
    }
}
