# tfwarden in a container. Run it as yourself so that reports can be written into the mounted
# folder (the default user, uid 10001, can read it but usually not write there):
#   docker run --rm -v "$PWD:/work" --user "$(id -u):$(id -g)" tfwarden check plan.json -o report.json
# Any uid works, with or without a passwd entry: HOME is /tmp and /work is writable by all.
FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      cmake g++ make pkg-config nlohmann-json3-dev libre2-dev libcli11-dev libtomlplusplus-dev \
      libsimdjson-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# With TFWARDEN_BUILD_TESTS=OFF the build reads only these (tests/ is not configured).
COPY CMakeLists.txt ./
COPY cmake cmake
COPY src src
COPY rules rules
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTFWARDEN_BUILD_TESTS=OFF \
    && cmake --build build -j"$(nproc)" --target tfwarden \
    && cmake --install build --prefix /opt/tfwarden

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libre2-9 libsimdjson14 libtomlplusplus3 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 tfwarden \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp --shell /usr/sbin/nologin tfwarden \
    && install -d -m 1777 /work
COPY --from=build /opt/tfwarden/bin/tfwarden /usr/local/bin/tfwarden
ENV HOME=/tmp
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["tfwarden"]
CMD ["--help"]
