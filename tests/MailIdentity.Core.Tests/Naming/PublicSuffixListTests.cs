using System;
using System.IO;
using MailIdentity.Naming;
using Xunit;

namespace MailIdentity.Core.Tests.Naming;

public class PublicSuffixListTests
{
    // The standard PSL test vectors (publicsuffix.org tests/test_psl.txt, checkPublicSuffix), run against
    // the embedded list. IDN results are expected in their xn-- form, since names are normalised to it.
    [Theory]
    [InlineData("COM", null)]
    [InlineData("example.COM", "example.com")]
    [InlineData("WwW.example.COM", "example.com")]
    [InlineData(".com", null)]
    [InlineData(".example", null)]
    [InlineData(".example.com", null)]
    [InlineData(".example.example", null)]
    [InlineData("example", null)]
    [InlineData("example.example", "example.example")]
    [InlineData("b.example.example", "example.example")]
    [InlineData("a.b.example.example", "example.example")]
    [InlineData("biz", null)]
    [InlineData("domain.biz", "domain.biz")]
    [InlineData("b.domain.biz", "domain.biz")]
    [InlineData("a.b.domain.biz", "domain.biz")]
    [InlineData("com", null)]
    [InlineData("example.com", "example.com")]
    [InlineData("b.example.com", "example.com")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("uk.com", null)]
    [InlineData("example.uk.com", "example.uk.com")]
    [InlineData("b.example.uk.com", "example.uk.com")]
    [InlineData("a.b.example.uk.com", "example.uk.com")]
    [InlineData("test.ac", "test.ac")]
    [InlineData("mm", null)]
    [InlineData("c.mm", null)]
    [InlineData("b.c.mm", "b.c.mm")]
    [InlineData("a.b.c.mm", "b.c.mm")]
    [InlineData("jp", null)]
    [InlineData("test.jp", "test.jp")]
    [InlineData("www.test.jp", "test.jp")]
    [InlineData("ac.jp", null)]
    [InlineData("test.ac.jp", "test.ac.jp")]
    [InlineData("www.test.ac.jp", "test.ac.jp")]
    [InlineData("kyoto.jp", null)]
    [InlineData("test.kyoto.jp", "test.kyoto.jp")]
    [InlineData("ide.kyoto.jp", null)]
    [InlineData("b.ide.kyoto.jp", "b.ide.kyoto.jp")]
    [InlineData("a.b.ide.kyoto.jp", "b.ide.kyoto.jp")]
    [InlineData("c.kobe.jp", null)]
    [InlineData("b.c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("a.b.c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("city.kobe.jp", "city.kobe.jp")]
    [InlineData("www.city.kobe.jp", "city.kobe.jp")]
    [InlineData("ck", null)]
    [InlineData("test.ck", null)]
    [InlineData("b.test.ck", "b.test.ck")]
    [InlineData("a.b.test.ck", "b.test.ck")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("www.www.ck", "www.ck")]
    [InlineData("us", null)]
    [InlineData("test.us", "test.us")]
    [InlineData("www.test.us", "test.us")]
    [InlineData("ak.us", null)]
    [InlineData("test.ak.us", "test.ak.us")]
    [InlineData("www.test.ak.us", "test.ak.us")]
    [InlineData("k12.ak.us", null)]
    [InlineData("test.k12.ak.us", "test.k12.ak.us")]
    [InlineData("www.test.k12.ak.us", "test.k12.ak.us")]
    [InlineData("食狮.com.cn", "xn--85x722f.com.cn")]
    [InlineData("食狮.公司.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("www.食狮.公司.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("shishi.公司.cn", "shishi.xn--55qx5d.cn")]
    [InlineData("公司.cn", null)]
    [InlineData("食狮.中国", "xn--85x722f.xn--fiqs8s")]
    [InlineData("www.食狮.中国", "xn--85x722f.xn--fiqs8s")]
    [InlineData("shishi.中国", "shishi.xn--fiqs8s")]
    [InlineData("中国", null)]
    [InlineData("xn--85x722f.com.cn", "xn--85x722f.com.cn")]
    [InlineData("xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("shishi.xn--55qx5d.cn", "shishi.xn--55qx5d.cn")]
    [InlineData("xn--55qx5d.cn", null)]
    [InlineData("xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("www.xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("shishi.xn--fiqs8s", "shishi.xn--fiqs8s")]
    [InlineData("xn--fiqs8s", null)]
    public void RegistrableDomain_MatchesThePslTestVectors(string host, string? expected)
    {
        Assert.Equal(expected, PublicSuffixList.RegistrableDomain(host));
    }

    [Theory]
    [InlineData("mail.example.co.uk", "example.co.uk")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("mail.c01.example", "c01.example")]
    [InlineData("ec2-127-0-1-7.compute-1.amazonaws.example", "amazonaws.example")]
    [InlineData("127-0-2-2.dyn.pool.isp.example", "isp.example")]
    [InlineData("MAIL.Example.COM.", "example.com")]
    [InlineData("  mail.example.com  ", "example.com")]
    [InlineData("_dmarc.example.com", "example.com")]
    [InlineData("sn1nam02ft0049.mail.protection.outlook.com", "outlook.com")]
    [InlineData("mail.bücher.de", "xn--bcher-kva.de")]
    [InlineData("Mail.XN--BCHER-KVA.DE", "xn--bcher-kva.de")]
    public void RegistrableDomain_HandlesEverydayNames(string host, string expected)
    {
        Assert.Equal(expected, PublicSuffixList.RegistrableDomain(host));
    }

    [Theory]
    [InlineData("ec2-203-0-113-5.compute-1.amazonaws.com", null)] // *.compute-1.amazonaws.com (private section)
    [InlineData("x.ec2-203-0-113-5.compute-1.amazonaws.com", "x.ec2-203-0-113-5.compute-1.amazonaws.com")]
    [InlineData("myapp.github.io", "myapp.github.io")] // github.io is a private-section rule
    [InlineData("www.myapp.github.io", "myapp.github.io")]
    [InlineData("github.io", null)]
    public void RegistrableDomain_UsesThePrivateSection(string host, string? expected)
    {
        Assert.Equal(expected, PublicSuffixList.RegistrableDomain(host));
    }

    [Theory]
    [InlineData("ec2-203-0-113-5.eu-west-1.compute.amazonaws.com", "amazonaws.com")]
    [InlineData("www.myapp.github.io", "github.io")]
    [InlineData("mail.example.co.uk", "example.co.uk")]
    [InlineData("mail.c01.example", "c01.example")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("com", null)]
    public void RegistrableDomain_IcannOnly_IgnoresThePrivateSection(string host, string? expected)
    {
        Assert.Equal(expected, PublicSuffixList.RegistrableDomain(host, includePrivateDomains: false));
    }

    [Theory]
    [InlineData("mail.example.co.uk", "co.uk")]
    [InlineData("co.uk", "co.uk")]
    [InlineData("mail.c01.example", "example")]
    [InlineData("example", "example")]
    [InlineData("test.ck", "test.ck")]
    [InlineData("www.ck", "ck")]
    [InlineData("a.www.ck", "ck")]
    [InlineData("ck", "ck")]
    [InlineData("b.test.ck", "test.ck")]
    [InlineData("www.city.kobe.jp", "kobe.jp")]
    [InlineData("ec2-1-2-3-4.compute-1.amazonaws.com", "ec2-1-2-3-4.compute-1.amazonaws.com")]
    public void PublicSuffix_FollowsThePrevailingRule(string host, string expected)
    {
        Assert.Equal(expected, PublicSuffixList.PublicSuffix(host));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::1")]
    [InlineData("[2001:db8::1]")]
    [InlineData("1.2.3")]
    [InlineData("example.com..")]
    [InlineData("a..example.com")]
    [InlineData("mail example.com")]
    [InlineData("user@example.com")]
    [InlineData("http://example.com/")]
    [InlineData("exa\u0000mple.com")]
    [InlineData("\u001b[31mexample.com")]
    public void BadInput_GivesNull(string? host)
    {
        Assert.Null(PublicSuffixList.RegistrableDomain(host));
        Assert.Null(PublicSuffixList.PublicSuffix(host));
    }

    [Fact]
    public void OverlongLabelOrName_GivesNull()
    {
        Assert.Null(PublicSuffixList.RegistrableDomain(new string('a', 64) + ".example.com"));
        Assert.Equal("example.com", PublicSuffixList.RegistrableDomain(new string('a', 63) + ".example.com"));
        var longName = string.Join(".", new string('a', 60), new string('b', 60), new string('c', 60), new string('d', 60), "example.com");
        Assert.Null(PublicSuffixList.RegistrableDomain(longName));
    }

    [Theory]
    [InlineData("mail.example.com", "MX1.EU.example.com.", true)]
    [InlineData("mail.example.co.uk", "example.co.uk", true)]
    [InlineData("mail.a.example", "mail.b.example", false)]
    [InlineData("a.example.co.uk", "b.other.co.uk", false)]
    [InlineData("a.github.io", "b.github.io", false)]
    [InlineData("com", "com", false)]
    [InlineData(null, null, false)]
    [InlineData("192.0.2.1", "192.0.2.1", false)]
    public void AreSameRegistrableDomain_ComparesOrganisationalDomains(string? a, string? b, bool expected)
    {
        Assert.Equal(expected, PublicSuffixList.AreSameRegistrableDomain(a, b));
    }

    [Fact]
    public void EmbeddedList_IsLoadedWithBothSections()
    {
        var rules = PublicSuffixList.Rules;
        Assert.True(rules.Count > 9000, "rules: " + rules.Count);
        Assert.True(rules.PrivateRuleCount > 1000, "private rules: " + rules.PrivateRuleCount);
        Assert.True(rules.Count - rules.PrivateRuleCount > 6000);
    }

    [Fact]
    public void EmbeddedResource_KeepsTheMplHeader()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(PublicSuffixList.ResourceName);
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream!);
        Assert.Contains("Mozilla Public", reader.ReadLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadsRulesUpToWhitespaceAndMapsUnicodeRules()
    {
        var text = "// comment\n\nfoo   trailing words\n*.bar\n!keep.bar\n公司.cn\n// ===BEGIN PRIVATE DOMAINS===\nblogs.foo\n// ===END PRIVATE DOMAINS===\n";
        var rules = PublicSuffixRules.Parse(new StringReader(text));
        Assert.Equal(5, rules.Count);
        Assert.Equal(1, rules.PrivateRuleCount);
        Assert.Equal("x.foo", rules.RegistrableDomain("a.x.foo", true));
        Assert.Null(rules.RegistrableDomain("trailing", true));
        Assert.Equal("trailing.example", rules.RegistrableDomain("trailing.example", true));
        Assert.Null(rules.RegistrableDomain("a.bar", true));
        Assert.Equal("b.a.bar", rules.RegistrableDomain("c.b.a.bar", true));
        Assert.Equal("keep.bar", rules.RegistrableDomain("www.keep.bar", true));
        Assert.Equal("me.blogs.foo", rules.RegistrableDomain("www.me.blogs.foo", true));
        Assert.Equal("blogs.foo", rules.RegistrableDomain("www.me.blogs.foo", false));
        Assert.Equal("blogs.foo", rules.PublicSuffix("www.me.blogs.foo", true));
        Assert.Equal("foo", rules.PublicSuffix("www.me.blogs.foo", false));
        Assert.Equal("x.xn--55qx5d.cn", rules.RegistrableDomain("a.x.公司.cn", true));
        Assert.Null(rules.RegistrableDomain("xn--55qx5d.cn", true));
    }

    [Fact]
    public void NeverThrows_OnRandomStrings()
    {
        var random = new Random(20261203);
        const string alphabet = "abcxyz019.-_*! \t:[]@/\\\u00e9\u00fc\u4e2d\u0000\u001b\ud800.";
        for (var i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 80)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var s = new string(chars);
            var registrable = PublicSuffixList.RegistrableDomain(s);
            var suffix = PublicSuffixList.PublicSuffix(s);
            _ = PublicSuffixList.AreSameRegistrableDomain(s, "example.com");
            if (registrable is not null)
            {
                Assert.NotNull(suffix);
                Assert.EndsWith("." + suffix, registrable, StringComparison.Ordinal);
            }
        }
    }
}
