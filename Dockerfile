# Synap server image, built from the distribution archive (NOT tested here: no container engine
# runs on the machine this repository is developed on).
#   ./mvnw -B -q package -DskipTests          # makes synap-dist/target/synap-<version>.tar.gz
#   docker build -t synap .
#   docker run -p 8080:8080 -p 50051:50051 -v synap-data:/data -e SYNAP_JAVA_OPTS=-Xmx1g synap
#   docker logs <container>                   # the first start prints the API key once
FROM eclipse-temurin:25-jre
ARG SYNAP_VERSION=0.1.0-SNAPSHOT
RUN useradd --system --home-dir /data --shell /usr/sbin/nologin synap \
 && mkdir -p /data && chown synap:synap /data
ADD synap-dist/target/synap-${SYNAP_VERSION}.tar.gz /opt/
RUN ln -s /opt/synap-${SYNAP_VERSION} /opt/synap
USER synap
ENV HOME=/data \
    SYNAP_DATA_DIR=/data \
    SYNAP_BIND_HOST=0.0.0.0 \
    SYNAP_JAVA_OPTS="-Xmx1g"
VOLUME /data
EXPOSE 8080 50051
# bind 0.0.0.0 inside the container; publish the ports only where they should be reachable.
ENTRYPOINT ["/opt/synap/bin/synap"]
CMD ["serve"]
