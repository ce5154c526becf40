# summarize.awk - turns download.sh's runs CSV into the tables it prints and
# the summary CSV (-v summary=FILE).  Input columns: dest, size_mib, client,
# round, bytes, wall_s, user_s, sys_s, cpu_s, peak_rss_kib, exit_status,
# bytes_ok, load1.  Groups are (dest, size, client) in order of appearance;
# each reports min / median / max, and ratios of its medians to curl's in the
# same (dest, size).

function sort_num(v, k,    i, j, t) {
  for (i = 2; i <= k; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] + 0 > t + 0; j--) v[j + 1] = v[j]; v[j + 1] = t }
}
function median(v, k) { return (k % 2) ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
# stats KEY FIELD: sets s_min, s_med, s_max of the values stored as val[KEY, FIELD, i]
function stats(key, f,    i, k, v) {
  k = n[key]
  for (i = 1; i <= k; i++) v[i] = val[key, f, i]
  sort_num(v, k)
  s_min = v[1]; s_med = median(v, k); s_max = v[k]
}

NR == 1 { next }
{
  key = $1 SUBSEP $2 SUBSEP $3
  if (!(key in n)) { keys[++nk] = key; kdest[key] = $1; ksize[key] = $2; kclient[key] = $3 }
  if (!(($1 SUBSEP $2) in ng)) { groups[++ngr] = $1 SUBSEP $2; ng[$1 SUBSEP $2] = 1 }
  if (!($3 in seen_client)) { seen_client[$3] = 1; client_order[++nclient] = $3 }
  if (!(($1) in seen_dest)) { seen_dest[$1] = 1; dest_order[++ndest] = $1 }
  if (!(($2) in seen_size)) { seen_size[$2] = 1; size_order[++nsize] = $2 }
  i = ++n[key]
  gib = $5 / 1073741824
  wall = ($6 > 0) ? $6 : 0.001
  val[key, "tput", i] = $5 / 1048576 / wall
  val[key, "cpu", i] = $9 / gib
  val[key, "rss", i] = $10 / 1024
  val[key, "load", i] = $13
  if ($12 != 1) invalid[key] = 1
}
END {
  for (i = 1; i <= nk; i++) {
    key = keys[i]
    stats(key, "tput"); tmin[key] = s_min; tmed[key] = s_med; tmax[key] = s_max
    stats(key, "cpu");  cmin[key] = s_min; cmed[key] = s_med; cmax[key] = s_max
    stats(key, "rss");  rmed[key] = s_med; rmax[key] = s_max
    stats(key, "load"); lmed[key] = s_med
  }
  print "dest,size_mib,client,runs,median_mib_per_s,min_mib_per_s,max_mib_per_s,median_cpu_s_per_gib,min_cpu_s_per_gib,max_cpu_s_per_gib,median_peak_rss_mib,max_peak_rss_mib,throughput_ratio_to_curl,cpu_per_gib_ratio_to_curl,peak_rss_ratio_to_curl,median_load1,valid" > summary
  for (g = 1; g <= ngr; g++) {
    split(groups[g], gs, SUBSEP)
    ref = gs[1] SUBSEP gs[2] SUBSEP "curl"
    printf "== destination %s, %s MiB ==\n", gs[1], gs[2]
    printf "%-20s %-24s %-22s %8s %7s %9s %6s %5s\n", "client", "MiB/s med [min-max]", "CPU s/GiB med [min-max]", "peak MiB", "x tput", "x CPU/GiB", "x mem", "load"
    for (i = 1; i <= nk; i++) {
      key = keys[i]
      if (kdest[key] != gs[1] || ksize[key] != gs[2]) continue
      rt = (ref in n && tmed[ref] > 0) ? tmed[key] / tmed[ref] : 0
      rc = (ref in n && cmed[ref] > 0) ? cmed[key] / cmed[ref] : 0
      rm = (ref in n && rmed[ref] > 0) ? rmed[key] / rmed[ref] : 0
      printf "%-20s %6.0f [%6.0f-%6.0f]    %5.3f [%5.3f-%5.3f]    %8.1f %7.2f %9.2f %6.2f %5.2f  %s\n", kclient[key],
        tmed[key], tmin[key], tmax[key], cmed[key], cmin[key], cmax[key], rmed[key], rt, rc, rm, lmed[key],
        (key in invalid) ? "INVALID (wrong bytes)" : ""
      printf "%s,%s,%s,%d,%.1f,%.1f,%.1f,%.3f,%.3f,%.3f,%.1f,%.1f,%.3f,%.3f,%.3f,%.2f,%d\n", kdest[key], ksize[key], kclient[key], n[key],
        tmed[key], tmin[key], tmax[key], cmed[key], cmin[key], cmax[key], rmed[key], rmax[key], rt, rc, rm, lmed[key],
        (key in invalid) ? 0 : 1 > summary
    }
    print ""
  }
  if (nsize > 1) {
    # Flat memory: the largest peak RSS seen at each size, per client.
    printf "peak RSS (max over rounds, MiB) by size\n%-20s %-5s", "client", "dest"
    for (s = 1; s <= nsize; s++) printf " %10s", size_order[s] " MiB"
    printf " %12s\n", "last/first"
    for (d = 1; d <= ndest; d++) for (c = 1; c <= nclient; c++) {
      printf "%-20s %-5s", client_order[c], dest_order[d]
      first = last = 0
      for (s = 1; s <= nsize; s++) {
        key = dest_order[d] SUBSEP size_order[s] SUBSEP client_order[c]
        if (key in n) { printf " %10.1f", rmax[key]; if (!first) first = rmax[key]; last = rmax[key] }
        else printf " %10s", "-"
      }
      printf " %12.2f\n", (first > 0) ? last / first : 0
    }
  }
}
