namespace Wsdoctor.Conform.Engine;

/// <summary>Autobahn|Testsuite's behaviour grades, spelled as its reports spell them so existing tooling that reads
/// index.json keeps working.</summary>
public static class Grades
{
    public const string Ok = "OK";
    public const string NonStrict = "NON-STRICT";
    public const string Informational = "INFORMATIONAL";
    public const string Unimplemented = "UNIMPLEMENTED";
    public const string Failed = "FAILED";

    // Close behaviour only.
    public const string WrongCode = "WRONG CODE";
    public const string Unclean = "UNCLEAN";
    public const string FailedByClient = "FAILED BY CLIENT";

    public static readonly string[] Main = [Ok, NonStrict, Informational, Unimplemented, Failed];
}
