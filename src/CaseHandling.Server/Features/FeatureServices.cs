using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features;

/// <summary>The services the use cases share within their area, registered by the features themselves, so that nothing in Infrastructure names a feature.</summary>
public static class FeatureServices
{
    public static IServiceCollection AddCaseHandlingFeatures(this IServiceCollection services)
    {
        services.AddScoped<Meldpunt.MatchFinder>();
        services.AddScoped<Reports.ReportIntake>();
        services.AddScoped<Incidents.IncidentAccess>();
        services.AddSingleton<IApiExamples, ApiExamples>();
        return services;
    }
}
