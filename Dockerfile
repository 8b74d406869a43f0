# Build with the Maven wrapper on a JDK, run on a Java 25 JRE as a non-root user.
# (Not built in CI: the development machines have no Docker engine.)
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -DskipTests package && cp target/coupon-service-*.jar /src/app.jar

FROM eclipse-temurin:25-jre
RUN groupadd --system coupon && useradd --system --gid coupon --no-create-home coupon \
	&& apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/app.jar app.jar
USER coupon
EXPOSE 8080
# Recommended flags for a small container: see docs/performance.md.
ENV JAVA_TOOL_OPTIONS="-XX:+UseParallelGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
	CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
