namespace Wsdoctor.Lab.Tests;

/// <summary>One throwaway CA for the whole test class, as `wsdoctor lab` has one per run.</summary>
public sealed class LabEnvironmentFixture : IDisposable
{
    public LabEnvironment Environment { get; } = LabEnvironment.Create();

    public void Dispose() => Environment.Dispose();
}
