# Written by `espbench plot` from the sweep's report.json files; restyle freely, then re-render in
# this folder:  gnuplot acc_vs_macs.gp  (SVG)   or   gnuplot -e "fmt='png'" acc_vs_macs.gp  (PNG)
if (!exists("fmt")) fmt = 'svg'
if (fmt eq 'png') {
  set terminal pngcairo noenhanced size 1100,700 font ',10'
  set output 'acc_vs_macs.png'
} else {
  set terminal svg noenhanced size 1100,700 dynamic font ',10'
  set output 'acc_vs_macs.svg'
}
set title "test top-1 vs MACs: main (5 configs, 5 finished runs)"
set xlabel "MACs per image (conv + linear, at the training resolution), log scale"
set ylabel "test top-1 (%): one seed per config"
set lmargin at screen 0.08
set rmargin at screen 0.62
set bmargin at screen 0.11
set tmargin at screen 0.91
set grid lc rgb '#dddddd'
set logscale x
set xrange [1625895.262:10673213.18]
set xtics ("2M" 2000000, "5M" 5000000, "10M" 10000000)
unset mxtics
set yrange [70.53:76.33]
set key at screen 0.65,0.91 left top Left reverse samplen 2 spacing 1.2 font ',10'
# config numbers, placed by espbench so that none overlaps another (screen coordinates)
set label "1" at screen 0.13339,0.48793 center font ',9' tc rgb '#0072B2' front
set arrow from screen 0.11316,0.48793 to screen 0.12861,0.48793 nohead lw 0.8 lc rgb '#888888' back
set label "2" at screen 0.46894,0.84103 center font ',9' tc rgb '#0072B2' front
set arrow from screen 0.44871,0.84103 to screen 0.46417,0.84103 nohead lw 0.8 lc rgb '#888888' back
set label "3" at screen 0.59889,0.42724 center font ',9' tc rgb '#D55E00' front
set label "4" at screen 0.34736,0.17897 center font ',9' tc rgb '#009E73' front
set label "5" at screen 0.23298,0.61069 center font ',9' tc rgb '#CC79A7' front
set arrow from screen 0.21275,0.61069 to screen 0.22821,0.61069 nohead lw 0.8 lc rgb '#888888' back
set label 'no.  config' at screen 0.65000,0.75714 left font ',9' front
set label "  1  espnetv2 block=eesp scale=0.5" at screen 0.65000,0.73714 left font ',9' tc rgb '#0072B2' front
set label "  2  espnetv2 block=eesp scale=1" at screen 0.65000,0.71714 left font ',9' tc rgb '#0072B2' front
set label "  3  espnetv2 block=esp scale=0.5" at screen 0.65000,0.69714 left font ',9' tc rgb '#D55E00' front
set label "  4  mobilenet_v2 width=0.35" at screen 0.65000,0.67714 left font ',9' tc rgb '#009E73' front
set label "  5  shufflenet_v2 width=0.5" at screen 0.65000,0.65714 left font ',9' tc rgb '#CC79A7' front
plot 'acc_vs_macs.dat' index 0 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#0072B2' dt 1 notitle, \
     'acc_vs_macs.dat' index 1 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#D55E00' dt 1 notitle, \
     'acc_vs_macs.dat' index 2 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#009E73' dt 1 notitle, \
     'acc_vs_macs.dat' index 3 using ($1*$8):4:($2*$8):($3*$8):5:6 with xyerrorlines lw 1.5 pt 7 ps 0.9 lc rgb '#CC79A7' dt 1 notitle, \
     'acc_vs_macs.dat' index 4 using ($1*$4):2 with lines dt 2 lw 1.5 lc rgb '#000000' notitle, \
     'acc_vs_macs.dat' index 4 using ($1*$4):2 with points pt 6 ps 2.2 lc rgb '#000000' notitle, \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#0072B2' dt 1 title "espnetv2 block=eesp", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#D55E00' dt 1 title "espnetv2 block=esp", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#009E73' dt 1 title "mobilenet_v2", \
     NaN with linespoints lw 1.5 pt 7 lc rgb '#CC79A7' dt 1 title "shufflenet_v2", \
     NaN with linespoints dt 2 lw 1.5 pt 6 ps 1.5 lc rgb '#000000' title 'Pareto front'
