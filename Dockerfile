# CaseHandling: one image for the API, the workers and the migration job (docs/OPERATIONS.md).
# Never built here (no container engine on the project's machines); tests/CaseHandling.Server.Tests/Operations/DeploymentManifestTests.cs
# parses this file and deploy/k8s/ and compares them with the app.
#
#   docker build -t casehandling:1.0 .
#   docker run --read-only --tmpfs /tmp -p 8080:8080 -e ConnectionStrings__CaseHandling=... casehandling:1.0

# ---- build: restore (cached while no project file changes), publish, and the EF migrations bundle ----
# The server only: the demo data (src/CaseHandling.Demo, with Bogus) is not copied, so the image cannot load it.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props dotnet-tools.json ./
COPY src/CaseHandling.Domain/CaseHandling.Domain.csproj src/CaseHandling.Domain/
COPY src/CaseHandling.Data/CaseHandling.Data.csproj src/CaseHandling.Data/
COPY src/CaseHandling.Server/CaseHandling.Server.csproj src/CaseHandling.Server/
COPY migrations/CaseHandling.Migrations/CaseHandling.Migrations.csproj migrations/CaseHandling.Migrations/
RUN dotnet restore src/CaseHandling.Server/CaseHandling.Server.csproj && dotnet tool restore
COPY src/CaseHandling.Domain/ src/CaseHandling.Domain/
COPY src/CaseHandling.Data/ src/CaseHandling.Data/
COPY src/CaseHandling.Server/ src/CaseHandling.Server/
COPY migrations/CaseHandling.Migrations/ migrations/CaseHandling.Migrations/
RUN dotnet publish src/CaseHandling.Server/CaseHandling.Server.csproj -c Release --no-restore -o /out/app /p:UseAppHost=false
# The migrator the migration job runs (deploy/migrations.sh makes the same locally): efbundle --connection "<Npgsql string>".
RUN dotnet ef migrations bundle --project migrations/CaseHandling.Migrations --startup-project migrations/CaseHandling.Migrations \
      -c Release -r linux-x64 -o /out/app/efbundle --force

# ---- runtime: ASP.NET Core only, no SDK, no shell tools needed ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# Owned by root and not writable by the app's user: the app writes nothing outside /tmp (an emptyDir in Kubernetes).
COPY --from=build --chown=0:0 /out/app/ /app/
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    TMPDIR=/tmp \
    DOTNET_BUNDLE_EXTRACT_BASE_DIR=/tmp/bundle \
    DOTNET_NOLOGO=1 \
    Database__MigrateOnStartup=false
# 1654 is the non-root "app" user of the official .NET images; numeric, so that Kubernetes can check runAsNonRoot.
USER 1654
# 8080: the app (API, pages, /health/*). 9464: the Prometheus scrape when Telemetry__Prometheus__Port=9464.
EXPOSE 8080 9464
ENTRYPOINT ["dotnet", "CaseHandling.Server.dll"]
