# tfwarden in a container: `docker run --rm -v "$PWD:/work" tfwarden check plan.json`
FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      cmake g++ make pkg-config nlohmann-json3-dev libre2-dev libcli11-dev libtomlplusplus-dev \
      libsimdjson-dev catch2 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY src src
COPY rules rules
COPY tests tests
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTFWARDEN_BUILD_TESTS=OFF \
    && cmake --build build -j"$(nproc)" --target tfwarden \
    && cmake --install build --prefix /opt/tfwarden

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libre2-9 libsimdjson14 libtomlplusplus3 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /work tfwarden
COPY --from=build /opt/tfwarden/bin/tfwarden /usr/local/bin/tfwarden
USER tfwarden
WORKDIR /work
ENTRYPOINT ["tfwarden"]
CMD ["--help"]
